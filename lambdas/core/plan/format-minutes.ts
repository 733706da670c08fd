/** Minutes for people: `<0.1 min`, `4.2 min`, `118 min`, `24 h`, `26.5 h`. */
export function formatMinutes(minutes: number): string {
  if (minutes < 0.1) return '<0.1 min';
  if (minutes < 100) return `${Number(minutes.toFixed(1))} min`;
  if (minutes < 120) return `${Math.round(minutes)} min`;
  return `${Number((minutes / 60).toFixed(1))} h`;
}
