#!/usr/bin/env node
/*
 * Runs `rc-apps <command>` (package, deploy, ...) on the app's files only.
 *
 * The apps compiler compiles every `.ts` file under the folder it runs in and zips every compiled file, whatever
 * `.rcappsconfig` says; so tests, the local workspace and tooling would end up in the package. This script copies the
 * files `.rcappsconfig` does not ignore into a temporary folder (with `node_modules` linked), runs `rc-apps` there and
 * brings `dist/` back. `.rcappsconfig` stays the one list of what the package leaves out.
 *
 *   node scripts/rc-apps.js package
 *   node scripts/rc-apps.js deploy --url http://localhost:3000 -u admin -p secret
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { minimatch } = require('minimatch');

const ROOT = path.resolve(__dirname, '..');
const NEVER = new Set(['node_modules', '.git', 'dist']);

function appFiles(appDir, ignored, dir = appDir) {
	const files = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		if (NEVER.has(entry.name) || entry.name.startsWith('.')) continue;
		const full = path.join(dir, entry.name);
		const relative = path.relative(appDir, full).split(path.sep).join('/');
		if (ignored.some((pattern) => minimatch(relative, pattern, { dot: true }) || minimatch(`${relative}/`, pattern, { dot: true }))) continue;
		if (entry.isDirectory()) files.push(...appFiles(appDir, ignored, full));
		else files.push(relative);
	}
	return files;
}

/**
 * Copies the app in `appDir` (less what its `.rcappsconfig` ignores) to a temporary folder, runs `rc-apps ...args`
 * there, copies the resulting `dist/*.zip` into `<appDir>/dist` and returns `{ status, zips }`.
 */
function runRcApps(appDir, args, stdio = 'inherit') {
	const configFile = path.join(appDir, '.rcappsconfig');
	const ignored = fs.existsSync(configFile) ? JSON.parse(fs.readFileSync(configFile, 'utf8')).ignoredFiles || [] : [];
	const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'livechat-rooms-package-'));
	try {
		for (const file of appFiles(appDir, ignored)) {
			fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
			fs.copyFileSync(path.join(appDir, file), path.join(stage, file));
		}
		// The CLI refuses to run without these two, whatever the ignore list says.
		for (const file of ['.rcappsconfig', 'package.json']) {
			const from = fs.existsSync(path.join(appDir, file)) ? path.join(appDir, file) : path.join(ROOT, file);
			fs.copyFileSync(from, path.join(stage, file));
		}
		// The compiler insists on `types: ['node']` but cannot resolve what today's Node typings import (undici-types),
		// and older ones clash with TypeScript 5.9; the app uses no Node.js API, so it is shown a small stand-in.
		fs.mkdirSync(path.join(stage, 'node_modules', '@types'), { recursive: true });
		fs.symlinkSync(path.join(__dirname, 'compiler-node-types'), path.join(stage, 'node_modules', '@types', 'node'));
		for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
			if (entry === '@types' || entry.startsWith('.')) continue;
			fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(stage, 'node_modules', entry));
		}
		const cli = path.join(ROOT, 'node_modules', '@rocket.chat', 'apps-cli', 'bin', 'run');
		const result = spawnSync(process.execPath, [cli, ...args], { cwd: stage, stdio, encoding: 'utf8' });
		const zips = [];
		if (fs.existsSync(path.join(stage, 'dist'))) {
			fs.mkdirSync(path.join(appDir, 'dist'), { recursive: true });
			for (const zip of fs.readdirSync(path.join(stage, 'dist'))) {
				fs.copyFileSync(path.join(stage, 'dist', zip), path.join(appDir, 'dist', zip));
				zips.push(path.join(appDir, 'dist', zip));
			}
		}
		return { status: result.status === null ? 1 : result.status, zips, output: `${result.stdout || ''}${result.stderr || ''}` };
	} finally {
		fs.rmSync(stage, { recursive: true, force: true });
	}
}

module.exports = { runRcApps };

if (require.main === module) {
	const { status, zips } = runRcApps(ROOT, process.argv.slice(2));
	for (const zip of zips) process.stdout.write(`Package: ${path.relative(process.cwd(), zip)}\n`);
	process.exitCode = status;
}
