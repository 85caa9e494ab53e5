/**
 * Text the node published that is close to what the lesson asks for, but not
 * it: say what arrived and what to change, instead of "never arrived".
 */

/** Shown in messages: whitespace made visible, long texts shortened. */
export function quoted (text: string): string {
  const visible = JSON.stringify(text).slice(1, -1)
  return `"${visible.length > 90 ? `${visible.slice(0, 89)}…` : visible}"`
}

/** What to change so that `seen` becomes `expected`, in a few words. */
export function nearMissAdvice (expected: string, seen: string): string {
  if (seen.trim() === expected) {
    if (/\n$/.test(seen)) return 'drop the trailing newline'
    return 'drop the spaces around it'
  }
  const unwrapped = jsonText(seen)
  if (unwrapped != null) return unwrapped === expected ? 'it is wrapped in JSON: publish the plain text' : 'it is JSON: publish the plain text, nothing around it'
  if (seen.replace(/:/g, '') === expected.replace(/:/g, '')) return 'drop the colon'
  if (seen.startsWith(expected)) return `nothing may follow it (drop ${quoted(seen.slice(expected.length))})`
  if (seen.endsWith(expected)) return `nothing may come before it (drop ${quoted(seen.slice(0, seen.length - expected.length))})`
  if (seen.toLowerCase() === expected.toLowerCase()) return 'mind upper and lower case'
  if (seen.replace(/\s+/g, ' ') === expected) return 'use single spaces'
  return `publish exactly ${quoted(expected)}`
}

/** The string inside a JSON value (an object with one string field, or a JSON string). */
function jsonText (text: string): string | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value === 'string') return value
  if (typeof value !== 'object' || value == null) return undefined
  const strings = Object.values(value).filter((field): field is string => typeof field === 'string')
  return strings.length >= 1 ? (strings.find(field => field.includes(' ')) ?? strings[0]) : undefined
}

/** The chat topic, give or take case and punctuation, which is a typo and not another topic. */
export function isTopicTypo (topic: string, expected: string): boolean {
  const normal = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '')
  return topic !== expected && normal(topic) === normal(expected)
}
