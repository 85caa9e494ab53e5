/** Small helpers shared by the agent/llm tests. */

export async function collect (deltas: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = []
  for await (const delta of deltas) out.push(delta)
  return out
}

/** Resolves with how the promise settled, so a test can assert on a rejection's error. */
export async function settle<T> (promise: Promise<T>): Promise<{ ok: true, value: T } | { ok: false, error: unknown }> {
  try {
    return { ok: true, value: await promise }
  } catch (error) {
    return { ok: false, error }
  }
}
