/** Horizontal grouped bars as inline SVG: no chart library, a few hundred bytes per chart. */

export interface Series {
  name: string;
  color: string;
}

const W = 520;
const LABEL = 110;
const BAR = 12;
const GAP = 10;
const TOP = 22;

/** One bar per series per group, scaled to the largest value; the value is printed after its bar. */
export function BarChart(props: {
  title: string;
  groups: Array<{ label: string; values: number[] }>;
  series: Series[];
  format: (n: number) => string;
}) {
  const { groups, series } = props;
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  const span = W - LABEL - 90;
  const groupH = series.length * BAR + GAP;
  const height = TOP + Math.max(1, groups.length) * groupH + 4;
  return (
    <svg viewBox={`0 0 ${W} ${height}`} width="100%" role="img" aria-label={props.title} style="max-width:720px">
      <title>{props.title}</title>
      {series.map((s, i) => (
        <g>
          <rect x={LABEL + i * 95} y={4} width={10} height={10} fill={s.color} />
          <text x={LABEL + i * 95 + 14} y={13}>
            {s.name}
          </text>
        </g>
      ))}
      {groups.map((g, gi) => {
        const y0 = TOP + gi * groupH;
        return (
          <g>
            <text x={LABEL - 6} y={y0 + (series.length * BAR) / 2 + 4} text-anchor="end">
              {g.label.slice(0, 20)}
            </text>
            {g.values.map((v, si) => {
              const w = Math.round((v / max) * span);
              return (
                <g>
                  <rect
                    x={LABEL}
                    y={y0 + si * BAR}
                    width={Math.max(v > 0 ? 2 : 0, w)}
                    height={BAR - 2}
                    fill={series[si]?.color ?? "#888"}
                  />
                  <text x={LABEL + w + 4} y={y0 + si * BAR + BAR - 3}>
                    {props.format(v)}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
