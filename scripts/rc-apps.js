#!/usr/bin/env node
/*
 * Runs `rc-apps <command>` (package, deploy, ...) on the app's files only.
 *
 * The apps compiler compiles every `.ts` file under the folder it runs in and zips every compiled file, whatever
 * `.rcappsconfig` says; so tests, the local workspace and tooling would end up in the package. This script copies the
 * files `.rcappsconfig` does not ignore into a temporary folder (with `node_modules` linked), runs `rc-apps` there and
 * brings `dist/` back. `.rcappsconfig` stays the one list of what the package leaves out.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { minimatch } = require('minimatch');

const root = path.resolve(__dirname, '..');
const config = JSON.parse(fs.readFileSync(path.join(root, '.rcappsconfig'), 'utf8'));
const ignored = config.ignoredFiles || [];
const NEVER = new Set(['node_modules', '.git', 'dist']);

function appFiles(dir = root) {
	const files = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		if (NEVER.has(entry.name) || entry.name.startsWith('.')) continue;
		const full = path.join(dir, entry.name);
		const relative = path.relative(root, full).split(path.sep).join('/');
		if (ignored.some((pattern) => minimatch(relative, pattern, { dot: true }) || minimatch(`${relative}/`, pattern, { dot: true }))) continue;
		if (entry.isDirectory()) files.push(...appFiles(full));
		else files.push(relative);
	}
	return files;
}

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'livechat-rooms-package-'));
try {
	for (const file of appFiles()) {
		fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
		fs.copyFileSync(path.join(root, file), path.join(stage, file));
	}
	// The CLI refuses to run without these two, whatever the ignore list says.
	for (const file of ['.rcappsconfig', 'package.json']) fs.copyFileSync(path.join(root, file), path.join(stage, file));
	// The compiler insists on `types: ['node']` but cannot resolve what today's Node typings import (undici-types),
	// and older ones clash with TypeScript 5.9; the app uses no Node.js API, so it is shown a small stand-in.
	fs.mkdirSync(path.join(stage, 'node_modules', '@types'), { recursive: true });
	fs.symlinkSync(path.join(__dirname, 'compiler-node-types'), path.join(stage, 'node_modules', '@types', 'node'));
	for (const entry of fs.readdirSync(path.join(root, 'node_modules'))) {
		if (entry === '@types' || entry.startsWith('.')) continue;
		fs.symlinkSync(path.join(root, 'node_modules', entry), path.join(stage, 'node_modules', entry));
	}
	const cli = path.join(root, 'node_modules', '@rocket.chat', 'apps-cli', 'bin', 'run');
	const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { cwd: stage, stdio: 'inherit' });
	if (fs.existsSync(path.join(stage, 'dist'))) {
		fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
		for (const zip of fs.readdirSync(path.join(stage, 'dist'))) {
			fs.copyFileSync(path.join(stage, 'dist', zip), path.join(root, 'dist', zip));
		}
	}
	if (result.status === 0 && fs.existsSync(path.join(root, 'dist'))) process.stdout.write(`Copied the package to ${path.join('dist', fs.readdirSync(path.join(stage, 'dist'))[0] || '')}\n`);
	process.exitCode = result.status === null ? 1 : result.status;
} finally {
	fs.rmSync(stage, { recursive: true, force: true });
}
