/**
 * The Markdown renderer, loaded on first use (it is not in the first bundle).
 * Until it is there, `render` returns undefined and the text shows as typed.
 */
import { shallowRef } from 'vue'

const renderer = shallowRef<(text: string) => string>()
let loading: Promise<void> | undefined

function load (): void {
  loading ??= import('../lib/markdown.ts')
    .then(module => { renderer.value = module.renderMarkdown })
    .catch(() => { loading = undefined })
}

export function useMarkdown () {
  return {
    /** Sanitized HTML for this Markdown, or undefined while the renderer loads. */
    render (text: string): string | undefined {
      if (renderer.value == null) { load(); return undefined }
      return renderer.value(text)
    }
  }
}
