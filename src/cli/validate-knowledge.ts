import { checkKnowledgeDir, DEFAULT_KNOWLEDGE_DIR } from '../core/knowledge/load.ts';
import { formatIssue } from '../core/knowledge/validate.ts';

/** `npm run validate-knowledge [dir]`: exit 1 with file: field: reason for each problem. */
const dir = process.argv[2] ?? DEFAULT_KNOWLEDGE_DIR;
const { knowledge, errors, warnings } = checkKnowledgeDir(dir);
for (const warning of warnings) console.warn(`warning: ${formatIssue(warning)}`);
if (!knowledge) {
  for (const error of errors) console.error(`error: ${formatIssue(error)}`);
  console.error(`Knowledge is invalid: ${errors.length} error(s). Nothing can start until they are fixed.`);
  process.exit(1);
}
const paragraphs = knowledge.reports.reduce((sum, report) => sum + report.paragraphs.length, 0);
console.log(`Knowledge is valid: ${knowledge.reports.length} report(s), ${paragraphs} paragraphs.`);
