/**
 * Colour maps as small tables of anchors, interpolated linearly in RGB, and the categorical
 * palette of line plots.
 */

/**
 * A colour map: t in [0, 1] → `#rrggbb`.
 * @example
 * const grey: ColorMap = (t) => colorMapFrom(['#000000', '#ffffff'])(t);
 */
export type ColorMap = (t: number) => string;

/**
 * The names of the built-in colour maps.
 * @example
 * const name: ColorMapName = 'magma';
 */
export type ColorMapName = 'viridis' | 'magma' | 'coolwarm' | 'greys';

// Anchors at evenly spaced t (matplotlib's maps sampled at 11 points; coolwarm is Moreland's).
const TABLES: Record<ColorMapName, readonly string[]> = {
  viridis: [
    '#440154',
    '#482475',
    '#414487',
    '#355f8d',
    '#2a788e',
    '#21918c',
    '#22a884',
    '#44bf70',
    '#7ad151',
    '#bddf26',
    '#fde725',
  ],
  magma: [
    '#000004',
    '#140e36',
    '#3b0f70',
    '#641a80',
    '#8c2981',
    '#b73779',
    '#de4968',
    '#f7705c',
    '#fe9f6d',
    '#fecf92',
    '#fcfdbf',
  ],
  coolwarm: ['#3b4cc0', '#8db0fe', '#dddddd', '#f49a7b', '#b40426'],
  greys: ['#ffffff', '#000000'],
};

function parseHex(h: string): [number, number, number] {
  return [
    Number.parseInt(h.slice(1, 3), 16),
    Number.parseInt(h.slice(3, 5), 16),
    Number.parseInt(h.slice(5, 7), 16),
  ];
}

function hex2(v: number): string {
  return Math.round(Math.min(255, Math.max(0, v)))
    .toString(16)
    .padStart(2, '0');
}

/**
 * A colour map through the given `#rrggbb` anchors, evenly spaced over [0, 1]. t outside
 * [0, 1] is clamped; NaN gives the first anchor.
 *
 * @example
 * const cmap = colorMapFrom(['#000000', '#ffffff']);
 * cmap(0.5); // '#808080'
 */
export function colorMapFrom(anchors: readonly string[]): ColorMap {
  if (anchors.length < 2 || anchors.some((a) => !/^#[0-9a-fA-F]{6}$/.test(a))) {
    throw new TypeError('colorMapFrom: give at least two colours as #rrggbb');
  }
  const rgb = anchors.map(parseHex);
  const m = rgb.length - 1;
  return (t: number) => {
    const u = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t)) * m;
    const i = Math.min(m - 1, Math.floor(u));
    const f = u - i;
    const a = rgb[i] as [number, number, number];
    const b = rgb[i + 1] as [number, number, number];
    return `#${hex2(a[0] + (b[0] - a[0]) * f)}${hex2(a[1] + (b[1] - a[1]) * f)}${hex2(a[2] + (b[2] - a[2]) * f)}`;
  };
}

/**
 * A built-in colour map by name, or the given function.
 *
 * @example
 * colorMap('viridis')(0); // '#440154'
 * colorMap('viridis')(1); // '#fde725'
 */
export function colorMap(name: ColorMapName | ColorMap = 'viridis'): ColorMap {
  if (typeof name === 'function') return name;
  const table = TABLES[name];
  if (table === undefined) {
    throw new TypeError(
      `colorMap: unknown colour map '${String(name)}' (built in: ${Object.keys(TABLES).join(', ')})`,
    );
  }
  return colorMapFrom(table);
}

/**
 * The line colours of components and series (matplotlib's tab10), used in turn.
 * @example
 * PALETTE[0]; // '#1f77b4'
 */
export const PALETTE: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/**
 * The i-th colour of {@link PALETTE}, cycling.
 * @example
 * paletteColor(1); // '#ff7f0e'
 */
export function paletteColor(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length] as string;
}
