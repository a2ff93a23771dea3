#!/usr/bin/env node
// The search stemmer in the browser (themes/default/stemmer.js) stems every
// word of a list exactly as the build does (the Rust crate rust-stemmers,
// Snowball English): tests/browser.rs writes `word<TAB>stem` lines, made
// with the Rust stemmer, and this compares.
//
//   node tests/browser/stemmer.test.mjs WORDS_TSV
//
// Exit status: 0 when every word agrees, 1 when any differs, 2 on bad usage.

import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const [list, ...extra] = process.argv.slice(2);
if (!list || extra.length) {
  console.error('usage: node stemmer.test.mjs WORDS_TSV');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const stemmer = require(path.join(here, '../../themes/default/stemmer.js'));

const lines = fs.readFileSync(list, 'utf8').split('\n').filter(Boolean);
const wrong = [];
for (const line of lines) {
  const [word, want] = line.split('\t');
  const got = stemmer.stem(word);
  if (got !== want) wrong.push(`${word}: Rust ${want}, JS ${got}`);
}
console.log(`${lines.length} words, ${wrong.length} stemmed differently`);
for (const w of wrong.slice(0, 50)) console.log('  ' + w);
process.exit(lines.length > 1000 && wrong.length === 0 ? 0 : 1);
