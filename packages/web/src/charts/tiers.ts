/** The customers' colour tiers in the order a VPP sheds them (green first, black never): a stack's top to bottom. */
export const TIER_COLORS: [string, string][] = [
  ['green', '#59a14f'],
  ['yellow', '#edc948'],
  ['red', '#e15759'],
  ['black', '#444444'],
];

/**
 * The tiers' enabled demand as stacked areas: each series is its tier plus every tier below it
 * (black at the bottom), drawn from the top down so each band shows its own tier.
 */
export function stackedTiers(byTier: Record<string, number[]>, steps: number) {
  return TIER_COLORS.map(([tier, color], i) => ({
    label: `enabled, ${tier}`,
    color,
    fill: true,
    opaque: true,
    values: Array.from({ length: steps }, (_, k) =>
      TIER_COLORS.slice(i).reduce((a, [t]) => a + (byTier[t]?.[k] ?? 0), 0),
    ),
  }));
}
