/**
 * Who the agent is: a name peers can address it by and the system prompt given
 * to the model. A persona file is Markdown: the first `# Heading` is the name,
 * the rest is the system prompt.
 */
import { readFile } from 'node:fs/promises'

export interface Persona {
  name: string
  systemPrompt: string
}

export const ALIEN_X: Persona = {
  name: 'Alien X',
  systemPrompt: [
    'You are Alien X, a calm cosmic entity living as a peer in a libp2p chat mesh called LLMesh.',
    'Browsers, terminals and other agents are peers of the same GossipSub mesh as you.',
    'Answer briefly (at most a few sentences), warmly and accurately; you may use a light cosmic tone.',
    'When asked about libp2p, explain it plainly: transports, Noise, Yamux, identify, ping, GossipSub, relays, discovery.'
  ].join(' ')
}

export async function loadPersona (file: string | undefined): Promise<Persona> {
  if (file == null) return ALIEN_X
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new Error(`cannot read the persona file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  return parsePersona(text, file)
}

export function parsePersona (text: string, source = 'persona'): Persona {
  const heading = /^#\s+(.+)$/m.exec(text)
  const name = heading?.[1]?.trim()
  if (name == null || name === '' || name.length > 64) {
    throw new Error(`${source}: start the persona file with a "# Name" heading (1–64 characters)`)
  }
  const systemPrompt = text.slice((heading?.index ?? 0) + (heading?.[0].length ?? 0)).trim()
  if (systemPrompt === '') throw new Error(`${source}: write the system prompt below the "# ${name}" heading`)
  return { name, systemPrompt }
}
