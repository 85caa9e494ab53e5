/**
 * Agents' answers as Markdown, safely: `marked` turns the text into HTML with
 * raw HTML escaped (an LLM's `<script>` shows as text), then DOMPurify removes
 * whatever could still run or load something: no scripts, no event handlers,
 * no images or frames (they would fetch from anywhere), and links only to
 * http(s) and mailto. Links open in a new tab, without referrer or opener,
 * and only after the person confirms (ChatMessageItem.vue).
 *
 * Loaded lazily (see useMarkdown.ts): the renderer and the sanitizer are not
 * part of the first bundle.
 */
import DOMPurify from 'dompurify'
import { Marked } from 'marked'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, c => ESCAPES[c]!)

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text)
  }
})

const purify = DOMPurify(window)
purify.addHook('afterSanitizeAttributes', node => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank')
    node.setAttribute('rel', 'noopener noreferrer nofollow')
  }
})

const SANITIZE = {
  FORBID_TAGS: ['img', 'picture', 'source', 'video', 'audio', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'style', 'svg', 'math'],
  FORBID_ATTR: ['style', 'class', 'id'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i
}

export function renderMarkdown (text: string): string {
  return purify.sanitize(marked.parse(text) as string, SANITIZE).trim()
}
