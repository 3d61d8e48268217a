import type { CurvePoint } from "@/lib/reports/growth";
import { niceStep, zeroBasedTicks } from "./chart-scale";

type Series = { id: string; label: string; curve: CurvePoint[]; daysBeforeNow: number };

// Told apart by dash pattern as well as colour, for readers who do not see the difference in hue.
const STYLES = [
  { stroke: "#0969da", dash: undefined },
  { stroke: "#cf222e", dash: "6 3" },
  { stroke: "#116329", dash: "2 3" },
  { stroke: "#8250df", dash: "10 3 2 3" },
  { stroke: "#9a6700", dash: "4 4" },
  { stroke: "#1b1f24", dash: "1 2" },
];

/**
 * Each edition's running total of registrations against the days before it starts, on one scale that starts at
 * zero, so two editions' curves compare at a glance. The same figures are in the table beside it.
 */
export function GrowthChart({
  series,
  label,
  axisDays,
  axisRegistrations,
}: {
  series: Series[];
  label: string;
  axisDays: string;
  axisRegistrations: string;
}) {
  const width = 720;
  const height = 280;
  const pad = { left: 52, right: 16, top: 16, bottom: 48 };
  const innerWidth = width - pad.left - pad.right;
  const innerHeight = height - pad.top - pad.bottom;
  const days = series.flatMap((one) => one.curve.map((point) => point.daysBefore));
  const firstDay = Math.max(30, ...days);
  const lastDay = Math.min(0, ...days);
  const top = Math.max(1, ...series.flatMap((one) => one.curve.map((point) => point.cumulative)));
  const yTicks = zeroBasedTicks(top);
  const yMax = yTicks[yTicks.length - 1];
  const x = (daysBefore: number) => pad.left + ((firstDay - daysBefore) / Math.max(firstDay - lastDay, 1)) * innerWidth;
  const y = (count: number) => pad.top + innerHeight - (count / yMax) * innerHeight;
  const xStep = niceStep(firstDay - lastDay, 8);
  const xTicks = Array.from(
    { length: Math.floor((firstDay - lastDay) / xStep) + 1 },
    (_, index) => lastDay + index * xStep,
  );

  const path = ({ curve, daysBeforeNow }: Series) => {
    if (curve.length === 0) return "";
    const end = Math.min(curve[curve.length - 1].daysBefore, Math.max(daysBeforeNow, lastDay));
    let d = `M${x(curve[0].daysBefore).toFixed(1)},${y(0).toFixed(1)}`;
    let previous = 0;
    for (const point of curve) {
      const px = x(point.daysBefore).toFixed(1);
      d += ` L${px},${y(previous).toFixed(1)} L${px},${y(point.cumulative).toFixed(1)}`;
      previous = point.cumulative;
    }
    return `${d} L${x(end).toFixed(1)},${y(previous).toFixed(1)}`;
  };

  return (
    <figure className="growth-chart">
      <svg viewBox={`0 0 ${width} ${height}`} className="chart" role="img" aria-label={label}>
        {yTicks.map((tick) => (
          <g key={`y${tick}`}>
            <line x1={pad.left} x2={width - pad.right} y1={y(tick)} y2={y(tick)} stroke="#d0d7de" />
            <text x={pad.left - 6} y={y(tick) + 4} textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {xTicks.map((tick) => (
          <text key={`x${tick}`} x={x(tick)} y={pad.top + innerHeight + 16} textAnchor="middle">
            {tick}
          </text>
        ))}
        <text x={pad.left + innerWidth / 2} y={height - 8} textAnchor="middle">
          {axisDays}
        </text>
        <text
          x={12}
          y={pad.top + innerHeight / 2}
          textAnchor="middle"
          transform={`rotate(-90 12 ${pad.top + innerHeight / 2})`}
        >
          {axisRegistrations}
        </text>
        {series.map((one, index) => {
          const style = STYLES[index % STYLES.length];
          return (
            <path
              key={one.id}
              d={path(one)}
              fill="none"
              stroke={style.stroke}
              strokeDasharray={style.dash}
              strokeWidth={2.5}
            />
          );
        })}
      </svg>
      <figcaption>
        <ul className="chart-legend">
          {series.map((one, index) => {
            const style = STYLES[index % STYLES.length];
            return (
              <li key={one.id}>
                <svg width="36" height="10" aria-hidden="true">
                  <line
                    x1="0"
                    x2="36"
                    y1="5"
                    y2="5"
                    stroke={style.stroke}
                    strokeDasharray={style.dash}
                    strokeWidth={2.5}
                  />
                </svg>
                {one.label}
              </li>
            );
          })}
        </ul>
      </figcaption>
    </figure>
  );
}
