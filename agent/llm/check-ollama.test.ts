import { afterAll, describe, expect, it } from 'vitest'
import { checkOllama } from './ollama.ts'
import { refusedUrl, startFakeOllama } from './test/fake-llm-servers.ts'

const servers: Array<{ close: () => Promise<void> }> = []
afterAll(async () => { for (const server of servers) await server.close() })

describe('checkOllama (the start-up line)', () => {
  it('says whether Ollama runs and whether the model is pulled', async () => {
    const ollama = await startFakeOllama()
    servers.push(ollama)
    expect(await checkOllama({ host: ollama.url, model: 'llama3.2' })).toMatch(/^ollama is running at .* with llama3\.2/)
    expect(await checkOllama({ host: ollama.url, model: 'mistral' })).toMatch(/mistral is not pulled: run `ollama pull mistral`/)
  })

  it('says plainly when Ollama is not reachable', async () => {
    expect(await checkOllama({ host: await refusedUrl(), model: 'llama3.2' })).toMatch(/^ollama is not reachable at .*refused/)
  })
})
