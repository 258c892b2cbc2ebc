// JSON-shaped arguments that the stack holds as expressions (constructs/Common/JsonExpression.cs): a jsonencode(...)
// document read back as JSON text, a tomap(...) map as JSON text of its object, references left as "${...}" strings,
// as they stood when the stack wrote them as plain JSON.

const PREFIXES = ['${jsonencode(', '${tomap(']
const SUFFIX = ')}'

const prefixOf = (value) => typeof value === 'string' && value.endsWith(SUFFIX) ? PREFIXES.find((p) => value.startsWith(p)) : undefined

/** Whether the value is a tomap(...) expression (an object once decoded). */
export const isTomap = (value) => prefixOf(value) === '${tomap('

/** The JSON text of a jsonencode(...) or tomap(...) value; any other value unchanged. */
export function decodeJsonencode(value) {
  const prefix = prefixOf(value)
  if (!prefix) return value
  const text = value.slice(prefix.length, -SUFFIX.length)
  let at = 0
  const fail = (expected) => { throw new Error(`jsonencode expression: expected ${expected} at character ${at} of ${text.slice(0, 200)}`) }
  const skip = () => { while (at < text.length && /\s/.test(text[at])) at++ }
  const next = (c) => { skip(); if (text[at] === c) { at++; return true } return false }
  const expect = (c) => { if (!next(c)) fail(`'${c}'`) }
  const string = () => {
    expect('"')
    let out = ''
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\\') { out += { n: '\n', t: '\t', r: '\r' }[text[at + 1]] ?? text[at + 1]; at += 2 }
      else if (text.startsWith('$${', at) || text.startsWith('%%{', at)) { out += `${text[at]}{`; at += 3 }
      else if (text.startsWith('${', at)) {
        const close = text.indexOf('}', at)
        if (close < 0) fail('the } that ends an interpolation')
        out += text.slice(at, close + 1)
        at = close + 1
      } else out += text[at++]
    }
    expect('"')
    return out
  }
  const parse = () => {
    skip()
    if (next('{')) {
      const o = {}
      while (!next('}')) { skip(); const key = string(); expect('='); o[key] = parse(); next(',') }
      return o
    }
    if (next('[')) {
      const a = []
      while (!next(']')) { a.push(parse()); next(',') }
      return a
    }
    if (text[at] === '"') return string()
    const start = at
    while (at < text.length && !/[\s,}\]]/.test(text[at])) at++
    const word = text.slice(start, at)
    if (!word) fail('a value')
    if (word === 'true' || word === 'false') return word === 'true'
    if (word === 'null') return null
    if (/^[-0-9]/.test(word)) return JSON.parse(word)
    return `\${${word}}`
  }
  const document = parse()
  skip()
  if (at !== text.length) fail('the end of the expression')
  return JSON.stringify(document)
}
