import { dailyCron, dayOfWeekField, parseDays } from '../../../../lambdas/core/policy/daily-schedule';

describe('the days of powerSchedule and parkSchedule', () => {
  it.each([
    ['MON-FRI', 'MON-FRI'],
    ['mon-fri', 'MON-FRI'],
    ['SAT,SUN', 'SUN,SAT'],
    [['SAT', 'SUN'], 'SUN,SAT'],
    [['MON', 'WED-FRI'], 'MON,WED-FRI'],
    ['FRI-MON', 'SUN,MON,FRI,SAT'],
    ['MON-SUN', '*'],
    ['SUN-SAT', '*'],
    ['TUE', 'TUE'],
    ['MON,TUE', 'MON,TUE'],
  ] as const)('reads %j as the cron day-of-week %s', (days, field) => {
    const parsed = parseDays(days);

    expect(typeof parsed).not.toBe('string');
    expect(dayOfWeekField(parsed as number[])).toBe(field);
  });

  it.each([
    ['MON-XYZ', 'XYZ'],
    ['MONDAY', 'MONDAY'],
    ['MON-TUE-WED', 'MON-TUE-WED'],
    ['', ''],
  ])('refuses %j, naming %j', (days, culprit) => {
    expect(parseDays(days)).toContain(JSON.stringify(culprit));
  });

  it('makes an EventBridge cron at the local time on those days', () => {
    expect(dailyCron('07:05', [1, 2, 3, 4, 5])).toBe('cron(5 7 ? * MON-FRI *)');
    expect(dailyCron('0:00', [0, 6])).toBe('cron(0 0 ? * SUN,SAT *)');
  });
});
