/**
 * Converts the manifest's five-field cron into EventBridge Scheduler's six-field form.
 * AWS wants `?` in one of day-of-month / day-of-week and a year field; day-of-week must be
 * written with names (MON-FRI) in the manifest so both dialects read it the same way.
 */
export function toAwsCron(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron must have five fields: "${cron}"`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  if (/\d/.test(dayOfWeek)) throw new Error(`write day-of-week with names (MON-FRI), not numbers: "${cron}"`);
  const dom = dayOfWeek === '*' ? dayOfMonth : '?';
  const dow = dayOfWeek === '*' ? '?' : dayOfWeek;
  if (dom === '?' && dayOfMonth !== '*') throw new Error(`AWS cron cannot restrict both day-of-month and day-of-week: "${cron}"`);
  return `cron(${minute} ${hour} ${dom} ${month} ${dow} *)`;
}
