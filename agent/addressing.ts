/**
 * When is a message meant for a given agent? Agents only answer other agents
 * that address them by name, so two agents in one mesh never talk forever.
 */
export function isAddressedTo (name: string, text: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^\\s*@?${escaped}\\b|@${escaped}\\b`, 'i').test(text)
}

/** Remove a leading "@Name," so an agent's answer never addresses the agent it answers. */
export function stripLeadingAddress (name: string, text: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return text.replace(new RegExp(`^\\s*@?${escaped}\\s*[,:!-]?\\s*`, 'i'), '')
}
