import { zeroBasedTicks } from "./chart-scale";

type Point = { day: string; count: number; cumulative: number };

const DAY_MS = 24 * 3600 * 1000;

/** Every day from the first registration to the last, days without any at zero, so the bars' spacing is time's. */
function everyDay(points: Point[]): Point[] {
  if (points.length === 0) return [];
  const byDay = new Map(points.map((point) => [point.day, point]));
  const days: Point[] = [];
  let cumulative = 0;
  const last = Date.parse(`${points[points.length - 1].day}T00:00:00Z`);
  for (let time = Date.parse(`${points[0].day}T00:00:00Z`); time <= last; time += DAY_MS) {
    const day = new Date(time).toISOString().slice(0, 10);
    const point = byDay.get(day);
    cumulative = point?.cumulative ?? cumulative;
    days.push({ day, count: point?.count ?? 0, cumulative });
  }
  return days;
}

/**
 * Registrations per day as bars against the left axis, the running total as a line against the right one; both
 * axes start at zero and carry their own ticks, so twelve registrations never look like three hundred. The
 * numbers are also in a table beside it.
 */
export function RegistrationsChart({
  points,
  label,
  perDayLabel,
  totalLabel,
}: {
  points: Point[];
  label: string;
  perDayLabel: string;
  totalLabel: string;
}) {
  const days = everyDay(points);
  const width = 720;
  const height = 240;
  const pad = { left: 44, right: 52, top: 16, bottom: 28 };
  const innerWidth = width - pad.left - pad.right;
  const innerHeight = height - pad.top - pad.bottom;
  const dailyTicks = zeroBasedTicks(Math.max(0, ...days.map((point) => point.count)));
  const totalTicks = zeroBasedTicks(Math.max(0, ...days.map((point) => point.cumulative)));
  const dailyTop = dailyTicks[dailyTicks.length - 1];
  const totalTop = totalTicks[totalTicks.length - 1];
  const step = innerWidth / Math.max(days.length, 1);
  const barWidth = Math.max(2, Math.min(24, step * 0.7));
  const centre = (index: number) => pad.left + index * step + step / 2;
  const yDaily = (count: number) => pad.top + innerHeight - (count / dailyTop) * innerHeight;
  const yTotal = (count: number) => pad.top + innerHeight - (count / totalTop) * innerHeight;
  const line = days.map(
    (point, index) => `${index === 0 ? "M" : "L"}${centre(index).toFixed(1)},${yTotal(point.cumulative).toFixed(1)}`,
  );
  const labelEvery = Math.ceil(days.length / 8);
  return (
    <figure className="registrations-chart">
      <svg viewBox={`0 0 ${width} ${height}`} className="chart" role="img" aria-label={label}>
        {dailyTicks.map((tick) => (
          <g key={`d${tick}`}>
            <line x1={pad.left} x2={width - pad.right} y1={yDaily(tick)} y2={yDaily(tick)} stroke="#d0d7de" />
            <text x={pad.left - 6} y={yDaily(tick) + 4} textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {totalTicks.map((tick) => (
          <text key={`t${tick}`} x={width - pad.right + 6} y={yTotal(tick) + 4} className="total-axis">
            {tick}
          </text>
        ))}
        {days.map((point, index) => (
          <g key={point.day}>
            <rect
              className="bar"
              x={centre(index) - barWidth / 2}
              y={yDaily(point.count)}
              width={barWidth}
              height={yDaily(0) - yDaily(point.count)}
            />
            {index % labelEvery === 0 && (
              <text x={centre(index)} y={height - 8} textAnchor="middle">
                {point.day.slice(5)}
              </text>
            )}
          </g>
        ))}
        {days.length > 0 && <path d={line.join(" ")} fill="none" stroke="#116329" strokeWidth={2} />}
        {days.map((point, index) => (
          <circle key={`c${point.day}`} cx={centre(index)} cy={yTotal(point.cumulative)} r={3} fill="#116329" />
        ))}
      </svg>
      <figcaption>
        <ul className="chart-legend">
          <li>
            <svg width="14" height="14" aria-hidden="true">
              <rect width="14" height="14" className="bar" />
            </svg>
            {perDayLabel}
          </li>
          <li>
            <svg width="36" height="10" aria-hidden="true">
              <line x1="0" x2="36" y1="5" y2="5" stroke="#116329" strokeWidth={2} />
            </svg>
            {totalLabel}
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
