import { renderMarkdown } from './src/adapters/console.ts';
for (const t of [
  '**Where:** Birmingham',
  'From *London \\*Attacker\\**',
  '[who was arrested](console message #12)',
  'a 2*3*4 b',
  '\\*\\*not bold\\*\\*',
  '**[x](y)**',
])
  console.log(JSON.stringify(renderMarkdown(t, false)));
