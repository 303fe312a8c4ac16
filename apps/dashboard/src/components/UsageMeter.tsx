/** "used / limit" with a bar; amber from 80 %, red at the limit. */
export function UsageMeter({ used, limit, testId }: { used: number; limit: number; testId?: string }) {
  const share = limit > 0 ? Math.min(used / limit, 1) : 1;
  const tone = share >= 1 ? 'bad' : share >= 0.8 ? 'warn' : 'ok';
  return (
    <span className="meter" data-testid={testId} title={`${used} of ${limit}`}>
      <span className={`meter-bar ${tone}`} style={{ width: `${share * 100}%` }} />
      <span className="meter-text">
        {used} / {limit}
      </span>
    </span>
  );
}

export function RatioCell({ ratio, max }: { ratio: number | null; max: number }) {
  if (ratio === null) return <span className="muted">–</span>;
  return (
    <span className={ratio > max ? 'bad-text' : ''} title={`limit ${max}`}>
      {ratio.toFixed(2)} / {max}
    </span>
  );
}
