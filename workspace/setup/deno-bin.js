'use strict';
/** Where the `deno` binary of the npm `deno` package lives, so the engine can find it on PATH. */
const fs = require('fs');
const path = require('path');

function denoBinary() {
	const pkgDir = path.dirname(require.resolve('deno/package.json'));
	const platform = `${process.platform}-${process.arch}`;
	const candidates = [];
	for (const scope of fs.readdirSync(path.join(pkgDir, '..', '@deno'), { withFileTypes: true })) {
		if (scope.isDirectory() && scope.name.startsWith(platform)) {
			candidates.push(path.join(pkgDir, '..', '@deno', scope.name, process.platform === 'win32' ? 'deno.exe' : 'deno'));
		}
	}
	const found = candidates.find((file) => fs.existsSync(file));
	if (!found) throw new Error(`no deno binary for ${platform} in the npm package "deno"`);
	return found;
}

module.exports = { denoBinary };
