/** The reaction bar's six: what a community chat reaches for most (Discord's and Slack's defaults agree). */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '👏'] as const;
