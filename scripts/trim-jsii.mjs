// node scripts/trim-jsii.mjs ASSEMBLY NAMESPACES_FILE OUT: writes to OUT the jsii assembly ASSEMBLY (a .jsii file)
// with only the submodules whose .NET namespace (HashiCorp.Cdktf.Providers.Aws.<PascalCase submodule>) is listed in
// NAMESPACES_FILE, and their types; fails when a listed namespace is not a submodule, or a kept type refers to a type
// left out. scripts/setup-packages.sh gives the result to jsii-pacmak in a copy of the provider package, so that
// code is generated, compiled and embedded for those namespaces only.
import { readFileSync, writeFileSync } from 'node:fs'

const [assemblyPath, namespacesPath, outPath] = process.argv.slice(2)
if (!assemblyPath || !namespacesPath || !outPath) {
  console.error('usage: node scripts/trim-jsii.mjs ASSEMBLY NAMESPACES_FILE OUT')
  process.exit(2)
}
const wanted = new Set(readFileSync(namespacesPath, 'utf8').split('\n').filter(Boolean))
const assembly = JSON.parse(readFileSync(assemblyPath, 'utf8'))
const prefix = `${assembly.name}.`
const dotnetName = (submodule) => submodule[0].toUpperCase() + submodule.slice(1)

const keptSubmodules = new Set()
for (const fqn of Object.keys(assembly.submodules ?? {})) {
  const name = fqn.slice(prefix.length)
  if (wanted.has(dotnetName(name))) keptSubmodules.add(name)
  else delete assembly.submodules[fqn]
}
const missing = [...wanted].filter((ns) => ![...keptSubmodules].some((s) => dotnetName(s) === ns))
if (missing.length > 0) {
  console.error(`error: ${missing.map((ns) => `HashiCorp.Cdktf.Providers.Aws.${ns}`).join(', ')}: not a namespace of ${assembly.name} ${assembly.version}; ` +
    'fix the name (the resource type in PascalCase, e.g. S3Bucket; scripts/provider-namespaces.sh --where NAME shows the files)')
  process.exit(1)
}
const types = {}
for (const [fqn, type] of Object.entries(assembly.types)) {
  const submodule = type.namespace?.split('.')[0]
  if (submodule === undefined || keptSubmodules.has(submodule)) types[fqn] = type
}
const refs = new Set(JSON.stringify(types).match(new RegExp(`"${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[A-Za-z0-9_.]+"`, 'g')) ?? [])
const dangling = [...refs].map((r) => r.slice(1, -1)).filter((fqn) => !(fqn in types) && !(fqn in (assembly.submodules ?? {})))
if (dangling.length > 0) {
  console.error(`error: kept types refer to types left out: ${dangling.slice(0, 10).join(', ')}`)
  process.exit(1)
}
const before = Object.keys(assembly.types).length
assembly.types = types
writeFileSync(outPath, JSON.stringify(assembly))
console.log(`${keptSubmodules.size} submodules, ${Object.keys(types).length} of ${before} types`)
