// node scripts/lazy-provider-index.mjs PACKAGE_DIR: points the package.json "main" of a copy of @cdktf/provider-aws
// at the package's own lib/lazy-index.js (each submodule a getter that requires it on first use) instead of
// lib/index.js (which requires all of them), after checking that the two export the same names and that each name
// gives the same module. The jsii kernel requires a package's main when it loads it, so a synth then loads only the
// submodules it uses. scripts/setup-packages.sh runs it on the copy that jsii-pacmak packs into the .NET package.
import { readFileSync, writeFileSync, unlinkSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const [dir] = process.argv.slice(2)
if (!dir) {
  console.error('usage: node scripts/lazy-provider-index.mjs PACKAGE_DIR')
  process.exit(2)
}
const fail = (message) => {
  console.error(`error: ${message}`)
  process.exit(1)
}
const manifestPath = join(dir, 'package.json')
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
const eager = 'lib/index.js'
const lazy = 'lib/lazy-index.js'
if (manifest.main !== eager) {
  fail(`${manifestPath}: "main" is ${JSON.stringify(manifest.main)}, expected "${eager}"; ` +
    'this script knows the layout of @cdktf/provider-aws 20.x only: check the pinned version in package.json')
}
if (!existsSync(join(dir, lazy))) {
  fail(`${join(dir, lazy)} is missing; this provider version has no lazy index: pin a version that ships one, ` +
    'or drop this step from scripts/setup-packages.sh')
}

const require = createRequire(join(dir, 'package.json'))
const lazyExports = require(`./${lazy}`)
const eagerExports = require(`./${eager}`)
const names = (o) => Object.getOwnPropertyNames(o).filter((n) => n !== '__esModule').sort()
const eagerNames = names(eagerExports)
const lazyNames = names(lazyExports)
const [eagerSet, lazySet] = [new Set(eagerNames), new Set(lazyNames)]
const onlyEager = eagerNames.filter((n) => !lazySet.has(n))
const onlyLazy = lazyNames.filter((n) => !eagerSet.has(n))
if (onlyEager.length > 0 || onlyLazy.length > 0) {
  fail(`${lazy} and ${eager} export different names (only in ${eager}: ${onlyEager.slice(0, 5).join(', ') || 'none'}; ` +
    `only in ${lazy}: ${onlyLazy.slice(0, 5).join(', ') || 'none'}); keep "main" at ${eager} for this version`)
}
const different = eagerNames.filter((n) => lazyExports[n] !== eagerExports[n])
if (different.length > 0) {
  fail(`${lazy} gives other modules than ${eager} for ${different.slice(0, 5).join(', ')}; keep "main" at ${eager}`)
}

// The copy's files are hard links to node_modules: write a new file rather than through the link.
unlinkSync(manifestPath)
writeFileSync(manifestPath, JSON.stringify({ ...manifest, main: lazy }, null, 2) + '\n')
console.log(eagerNames.length)
