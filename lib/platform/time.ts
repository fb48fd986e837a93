/** The calendar date (YYYY-MM-DD) of an instant in a time zone: day boundaries are the company's. */
export function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
