// The provider conventions, checked by code rather than by review (in the spirit of vercel/ai's
// konsistent): every packages/provider-* has its default spec export, its `./testing` kit, its
// README, its CODEOWNERS line, its vendor SDK as a required peer imported only lazily, its
// conformance test and a changeset. `checkConventions(root)` returns the violations; an empty
// list means the repository conforms.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

/** The rule ids a violation can carry, each one item of the PR checklist. */
export const RULES = [
  'package-json',
  'spec-export',
  'spec-id',
  'testing-export',
  'readme',
  'codeowners',
  'sdk-peer',
  'sdk-lazy',
  'conformance-test',
  'changeset',
]

const PREFIX = 'provider-'

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

function parse(file) {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
}

/** Every .ts file under src/, recursively, without fixtures. */
function sourceFiles(dir) {
  if (!existsSync(dir)) return []
  const files = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== '__fixtures__' && entry.name !== 'node_modules') files.push(...sourceFiles(path))
    } else if (/\.(c|m)?tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      files.push(path)
    }
  }
  return files
}

const isTestFile = (file) => /\.(test|spec)\.(c|m)?tsx?$/.test(file) || /test-helpers?\.(c|m)?ts$/.test(file)

/** True when `index.ts` has a default export (`export default`, `export { default }`, `export { x as default }`). */
export function hasDefaultExport(sourceFile) {
  return sourceFile.statements.some((statement) => {
    if (ts.isExportAssignment(statement)) return !statement.isExportEquals
    if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    )
      return statement.exportClause.elements.some((element) => element.name.text === 'default')
    if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
      const modifiers = ts.getModifiers(statement) ?? []
      return modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
    }
    return false
  })
}

/** True when the module exports a value named `name` (declared here or re-exported). */
function exportsName(sourceFile, name) {
  return sourceFile.statements.some((statement) => {
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : []
    const exported = modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    if (exported && ts.isVariableStatement(statement))
      return statement.declarationList.declarations.some(
        (d) => ts.isIdentifier(d.name) && d.name.text === name,
      )
    if (exported && (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)))
      return statement.name?.text === name
    if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    )
      return statement.exportClause.elements.some(
        (element) => element.name.text === name && !element.isTypeOnly,
      )
    return false
  })
}

function stringProperty(objectLiteral, name) {
  for (const property of objectLiteral.properties) {
    if (!ts.isPropertyAssignment(property)) continue
    const key = property.name
    if ((ts.isIdentifier(key) || ts.isStringLiteral(key)) && key.text === name) return property.initializer
  }
  return undefined
}

/** The `defineProvider({ id, sdk: { package, range } })` literal of a package's sources, if any. */
export function readSpec(files) {
  for (const file of files) {
    let found
    const sourceFile = parse(file)
    // `id: ID` with `const ID = 'google'` beside it: follow top-level string constants.
    const constants = new Map()
    for (const statement of sourceFile.statements) {
      if (!ts.isVariableStatement(statement)) continue
      for (const declaration of statement.declarationList.declarations) {
        if (
          ts.isIdentifier(declaration.name) &&
          declaration.initializer &&
          ts.isStringLiteralLike(declaration.initializer)
        )
          constants.set(declaration.name.text, declaration.initializer.text)
      }
    }
    const text = (value) => {
      if (value && ts.isStringLiteralLike(value)) return value.text
      if (value && ts.isIdentifier(value)) return constants.get(value.text)
      return undefined
    }
    const visit = (node) => {
      if (found) return
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'defineProvider' &&
        node.arguments[0] &&
        ts.isObjectLiteralExpression(node.arguments[0])
      ) {
        const literal = node.arguments[0]
        const id = stringProperty(literal, 'id')
        const sdk = stringProperty(literal, 'sdk')
        found = {
          file,
          id: text(id),
          sdkPackage:
            sdk && ts.isObjectLiteralExpression(sdk) ? text(stringProperty(sdk, 'package')) : undefined,
          sdkRange: sdk && ts.isObjectLiteralExpression(sdk) ? text(stringProperty(sdk, 'range')) : undefined,
        }
        return
      }
      ts.forEachChild(node, visit)
    }
    visit(sourceFile)
    if (found) return found
  }
  return undefined
}

const isFunctionLike = (node) =>
  ts.isFunctionDeclaration(node) ||
  ts.isFunctionExpression(node) ||
  ts.isArrowFunction(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isConstructorDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ts.isSetAccessorDeclaration(node)

/**
 * Every place a file loads `sdk` eagerly: a value `import`/`export … from`, a side-effect import,
 * `import x = require()`, or a `require()`/`import()` that runs at module load (outside any
 * function). `import type` and `import()` inside a function are the lazy forms and pass.
 */
export function eagerSdkImports(sourceFile, sdk) {
  const matches = (specifier) =>
    specifier !== undefined &&
    ts.isStringLiteralLike(specifier) &&
    (specifier.text === sdk || specifier.text.startsWith(`${sdk}/`))
  const where = (node) => {
    const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile))
    return `${sourceFile.fileName}:${line + 1}`
  }
  const found = []
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && matches(statement.moduleSpecifier)) {
      const clause = statement.importClause
      if (clause?.isTypeOnly) continue
      const named = clause?.namedBindings
      const onlyInlineTypes =
        clause &&
        !clause.name &&
        named &&
        ts.isNamedImports(named) &&
        named.elements.every((e) => e.isTypeOnly)
      found.push(
        onlyInlineTypes
          ? `${where(statement)}: \`import { type … }\` still loads ${sdk} at runtime (verbatimModuleSyntax keeps it); write \`import type { … }\``
          : `${where(statement)}: static import of ${sdk}`,
      )
      continue
    }
    if (ts.isExportDeclaration(statement) && matches(statement.moduleSpecifier)) {
      if (!statement.isTypeOnly)
        found.push(`${where(statement)}: re-export from ${sdk} loads it at import time`)
      continue
    }
    if (
      ts.isImportEqualsDeclaration(statement) &&
      !statement.isTypeOnly &&
      ts.isExternalModuleReference(statement.moduleReference) &&
      matches(statement.moduleReference.expression)
    ) {
      found.push(`${where(statement)}: \`import = require()\` of ${sdk}`)
      continue
    }
    const visit = (node) => {
      if (isFunctionLike(node)) return
      if (ts.isCallExpression(node) && matches(node.arguments[0])) {
        const callee = node.expression
        if (callee.kind === ts.SyntaxKind.ImportKeyword)
          found.push(`${where(node)}: import(${JSON.stringify(sdk)}) at module top level runs on import`)
        else if (ts.isIdentifier(callee) && callee.text === 'require')
          found.push(`${where(node)}: top-level require(${JSON.stringify(sdk)})`)
      }
      ts.forEachChild(node, visit)
    }
    visit(statement)
  }
  return found
}

/** Paths CODEOWNERS assigns to at least one owner (first token of each non-comment line). */
export function ownedPaths(text) {
  const owned = new Set()
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim()
    if (!line) continue
    const [path, ...owners] = line.split(/\s+/)
    if (owners.some((owner) => /^@[\w.-]+(\/[\w.-]+)?$|^[^@\s]+@[^@\s]+$/.test(owner))) owned.add(path)
  }
  return owned
}

/** Package names that pending changesets under .changeset/ mention in their front matter. */
export function changesetPackages(root) {
  const dir = join(root, '.changeset')
  const names = new Set()
  if (!existsSync(dir)) return names
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.md') || file.toLowerCase() === 'readme.md') continue
    const text = readFileSync(join(dir, file), 'utf8')
    const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? ''
    for (const match of front.matchAll(/^\s*["']?([^"':\s]+)["']?\s*:\s*(major|minor|patch)\s*$/gm))
      names.add(match[1])
  }
  return names
}

/** The directories of every provider package under packages/. */
export function providerPackages(root) {
  const dir = join(root, 'packages')
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => name.startsWith(PREFIX) && statSync(join(dir, name)).isDirectory())
    .filter((name) => existsSync(join(dir, name, 'package.json')) || existsSync(join(dir, name, 'src')))
    .sort()
}

const SHAPE = [
  ['type', (pkg) => pkg.type === 'module', '"type": "module"'],
  ['sideEffects', (pkg) => pkg.sideEffects === false, '"sideEffects": false'],
  ['files', (pkg) => Array.isArray(pkg.files) && pkg.files.includes('dist'), '"files": ["dist"]'],
  ['engines', (pkg) => typeof pkg.engines?.node === 'string', '"engines": { "node": … }'],
  [
    'publishConfig',
    (pkg) => pkg.publishConfig?.access === 'public',
    '"publishConfig": { "access": "public" }',
  ],
]

/** Checks one provider package; `context` holds what is shared (CODEOWNERS, changesets). */
export function checkProvider(root, dirName, context) {
  const violations = []
  const packageDir = join(root, 'packages', dirName)
  const id = dirName.slice(PREFIX.length)
  const expectedName = `@modelplex/${dirName}`
  const add = (rule, message) => violations.push({ package: expectedName, rule, message })
  const pkg = readJson(join(packageDir, 'package.json'))

  if (!pkg) {
    add('package-json', 'package.json is missing or not valid JSON')
  } else {
    if (pkg.name !== expectedName)
      add('package-json', `"name" is ${JSON.stringify(pkg.name)}, expected "${expectedName}"`)
    if (pkg.repository?.directory !== `packages/${dirName}`)
      add('package-json', `"repository.directory" must be "packages/${dirName}"`)
    for (const [, ok, want] of SHAPE) if (!ok(pkg)) add('package-json', `needs ${want}`)
    if (!pkg.peerDependencies?.['@modelplex/core'])
      add('package-json', '@modelplex/core must be a peer dependency (one copy of core per application)')
  }

  const srcDir = join(packageDir, 'src')
  const files = sourceFiles(srcDir)
  const nonTest = files.filter((file) => !isTestFile(file))

  const index = join(srcDir, 'index.ts')
  if (!existsSync(index)) add('spec-export', 'src/index.ts is missing')
  else if (!hasDefaultExport(parse(index)))
    add('spec-export', 'src/index.ts has no default export (the provider spec)')

  const spec = readSpec(nonTest)
  if (!spec) add('spec-id', 'no defineProvider({ … }) call in src/')
  else if (spec.id !== id)
    add('spec-id', `the spec's id is ${JSON.stringify(spec.id)}, expected "${id}" (from the folder name)`)

  const testing = join(srcDir, 'testing.ts')
  const testingExport = pkg?.exports?.['./testing']
  if (!testingExport) add('testing-export', 'package.json "exports" has no "./testing" (the wire kit)')
  else if (typeof testingExport !== 'object' || !testingExport.import || !testingExport.require)
    add('testing-export', '"./testing" must have "import" and "require" conditions, types first')
  if (!existsSync(testing)) add('testing-export', 'src/testing.ts (the wire kit) is missing')
  else if (!exportsName(parse(testing), 'kit')) add('testing-export', 'src/testing.ts does not export `kit`')

  const readme = join(packageDir, 'README.md')
  if (!existsSync(readme)) add('readme', 'README.md is missing')
  else if (!readFileSync(readme, 'utf8').includes(expectedName))
    add('readme', `README.md never names ${expectedName}`)

  if (!context.owned.has(`/packages/${dirName}/`) && !context.owned.has(`packages/${dirName}/`))
    add('codeowners', `CODEOWNERS has no "/packages/${dirName}/ @maintainer" line`)

  if (spec && !spec.sdkPackage) add('sdk-peer', 'the spec has no sdk: { package, range }')
  if (spec?.sdkPackage && pkg) {
    const sdk = spec.sdkPackage
    const peer = pkg.peerDependencies?.[sdk]
    if (!peer) add('sdk-peer', `${sdk} is not in peerDependencies`)
    else {
      if (pkg.peerDependenciesMeta?.[sdk]?.optional)
        add('sdk-peer', `${sdk} is an optional peer; it must be required so npm installs it`)
      if (spec.sdkRange && spec.sdkRange !== peer)
        add('sdk-peer', `the spec's sdk range ${spec.sdkRange} differs from the peer range ${peer}`)
    }
    if (pkg.dependencies?.[sdk]) add('sdk-peer', `${sdk} is a dependency; it must be a peer`)
    for (const file of nonTest) {
      for (const problem of eagerSdkImports(parse(file), sdk))
        add(
          'sdk-lazy',
          `${relative(packageDir, problem.split(':')[0])}${problem.slice(problem.indexOf(':'))}`,
        )
    }
  }

  const conformance = files.filter((file) => file.endsWith('.conformance.test.ts'))
  if (conformance.length === 0) add('conformance-test', 'no src/*.conformance.test.ts')
  else if (!conformance.some((file) => readFileSync(file, 'utf8').includes('runConformance(')))
    add('conformance-test', 'the *.conformance.test.ts never calls runConformance')
  if (pkg && !pkg.scripts?.conformance)
    add('conformance-test', 'package.json has no "conformance" script (turbo runs it for the matrix)')

  if (!context.changesets.has(expectedName) && !existsSync(join(packageDir, 'CHANGELOG.md')))
    add('changeset', `no changeset names ${expectedName} (run \`pnpm changeset\`)`)

  return violations
}

/** Checks every provider package of the repository at `root`. */
export function checkConventions(root) {
  const codeowners = join(root, 'CODEOWNERS')
  const context = {
    owned: existsSync(codeowners) ? ownedPaths(readFileSync(codeowners, 'utf8')) : new Set(),
    changesets: changesetPackages(root),
  }
  const packages = providerPackages(root)
  return { packages, violations: packages.flatMap((dir) => checkProvider(root, dir, context)) }
}
