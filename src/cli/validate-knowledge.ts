import 'dotenv/config';
import { readKnowledgeDir } from '../config.ts';
import { checkKnowledgeDir, KnowledgeDirError } from '../core/knowledge/load.ts';
import { formatIssue } from '../core/knowledge/validate.ts';

const USAGE = `Usage: npm run validate-knowledge [-- <dir>]

Checks every report folder under <dir> (default: KNOWLEDGE_DIR, else ./knowledge) and prints
one "file: field: reason" line per problem, all in one pass. Exits 1 if any folder is invalid.`;

/** `npm run validate-knowledge [dir]`: exit 1 with file: field: reason for each problem. */
function main(): number {
  const argument = process.argv[2];
  if (argument === '--help' || argument === '-h') {
    console.log(USAGE);
    return 0;
  }
  const dir = argument ?? readKnowledgeDir(process.env);
  let result;
  try {
    result = checkKnowledgeDir(dir);
  } catch (error) {
    if (!(error instanceof KnowledgeDirError)) throw error;
    console.error(`error: ${error.message}`);
    return 1;
  }
  const { knowledge, errors, warnings, reports } = result;
  for (const warning of warnings) console.warn(`warning: ${formatIssue(warning)}`);
  if (!knowledge) {
    for (const error of errors) console.error(`error: ${formatIssue(error)}`);
    const servable =
      reports.length > 0
        ? ` The bot would serve the ${reports.length} valid report(s) and skip the rest.`
        : ' Nothing can be served until they are fixed.';
    console.error(`Knowledge is invalid: ${errors.length} error(s).${servable}`);
    return 1;
  }
  const paragraphs = knowledge.reports.reduce((sum, report) => sum + report.paragraphs.length, 0);
  console.log(`Knowledge is valid: ${knowledge.reports.length} report(s), ${paragraphs} paragraphs.`);
  return 0;
}

process.exitCode = main();
