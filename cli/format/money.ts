/** US dollars to the cent, `-$1.10` when negative. */
export function usd(value: number): string {
  const cents = Math.round(value * 100) / 100;
  return `${cents < 0 ? '-' : ''}$${Math.abs(cents).toFixed(2)}`;
}

/** An hourly price as DigitalOcean gives it, to five decimals without trailing zeros: `$0.07143/h`. */
export function usdPerHour(value: number): string {
  return `$${Number(value.toFixed(5))}/h`;
}

/** A percentage to one decimal: `68.7%`. */
export function percent(value: number): string {
  return `${value.toFixed(1)}%`;
}

/** Hours, whole when large, to one decimal when small: `556 h`, `8.8 h`. */
export function hours(value: number): string {
  return `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))} h`;
}
