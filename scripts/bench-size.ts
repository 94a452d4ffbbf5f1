/**
 * What each entrypoint of the built Chrome extension costs to load: the gzipped size of every
 * JavaScript and CSS file it loads (an HTML page's scripts, module preloads and stylesheets, as Vite
 * wrote them; the background and content script are single files).
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface EntrypointSize {
  name: string;
  files: string[];
  bytes: number;
  gzipBytes: number;
}

const HTML_ENTRIES = ['popup', 'sidepanel', 'options'];
const SCRIPT_ENTRIES: [string, string][] = [
  ['background', 'background.js'],
  ['content script', 'content-scripts/atlassian.js'],
];

function assetsOfPage(dir: string, html: string): string[] {
  const refs = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
  return [...new Set(refs)].filter((ref) => fs.existsSync(path.join(dir, ref)));
}

function measure(dir: string, name: string, files: string[]): EntrypointSize {
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const content = fs.readFileSync(path.join(dir, file));
    bytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { name, files, bytes, gzipBytes };
}

export function entrypointSizes(outputDir: string): EntrypointSize[] {
  const sizes: EntrypointSize[] = [];
  for (const page of HTML_ENTRIES) {
    const html = fs.readFileSync(path.join(outputDir, `${page}.html`), 'utf8');
    sizes.push(measure(outputDir, page === 'sidepanel' ? 'side panel' : page, assetsOfPage(outputDir, html)));
  }
  for (const [name, file] of SCRIPT_ENTRIES) sizes.push(measure(outputDir, name, [file]));
  return sizes;
}
