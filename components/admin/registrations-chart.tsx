type Point = { day: string; count: number; cumulative: number };

/** Registrations per day as bars, with the running total as a line; the numbers are also in a table. */
export function RegistrationsChart({ points, label, capacity }: { points: Point[]; label: string; capacity: number }) {
  const width = 720;
  const height = 220;
  const pad = { left: 36, right: 12, top: 12, bottom: 28 };
  const innerWidth = width - pad.left - pad.right;
  const innerHeight = height - pad.top - pad.bottom;
  const maxDaily = Math.max(1, ...points.map((point) => point.count));
  const maxTotal = Math.max(capacity, ...points.map((point) => point.cumulative), 1);
  const step = innerWidth / Math.max(points.length, 1);
  const barWidth = Math.max(2, Math.min(24, step * 0.7));
  const line = points
    .map((point, index) => `${index === 0 ? "M" : "L"}${(pad.left + index * step + step / 2).toFixed(1)},${(pad.top + innerHeight - (point.cumulative / maxTotal) * innerHeight).toFixed(1)}`)
    .join(" ");
  const labelEvery = Math.ceil(points.length / 8);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="chart" role="img" aria-label={label}>
      <line x1={pad.left} x2={width - pad.right} y1={pad.top + innerHeight} y2={pad.top + innerHeight} stroke="#8c959f" />
      {points.map((point, index) => {
        const barHeight = (point.count / maxDaily) * innerHeight * 0.9;
        const x = pad.left + index * step + (step - barWidth) / 2;
        return (
          <g key={point.day}>
            <rect className="bar" x={x} y={pad.top + innerHeight - barHeight} width={barWidth} height={barHeight} />
            {index % labelEvery === 0 && (
              <text x={x + barWidth / 2} y={height - 8} textAnchor="middle">
                {point.day.slice(5)}
              </text>
            )}
          </g>
        );
      })}
      {points.length > 0 && <path d={line} fill="none" stroke="#116329" strokeWidth={2} />}
      <text x={4} y={pad.top + 10}>
        {maxTotal}
      </text>
    </svg>
  );
}
