import { DateTime, FixedOffsetZone, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';
import { type BuildCalendarOptions, type ProductionCalendar, buildCalendar } from './calendar.js';
import { type ResolvedSchedule, type ScheduleConfig, WEEKDAYS, minutesOfDay, resolveSchedule } from './config.js';
import { civilDate, isoWeekday, parseIsoDate } from './dates.js';
import type { Duration } from './duration.js';
import type { WorkingTime } from './types.js';

/**
 * Working time of one organization: its zone, production calendar and weekly schedule.
 * See docs/working-time.md for the rules and worked examples.
 *
 * Implementation: every local day gets a cached plan (its working periods as epoch milliseconds,
 * computed with luxon in the zone once). Adding and measuring walk whole days through those plans, so
 * the cost grows with the number of days crossed, never with minutes; luxon is called only to build a
 * day's plan (once per day) and to wrap the result.
 */
export interface OrgWorkingTime extends WorkingTime {
  readonly calendar: ProductionCalendar;
  readonly schedule: ResolvedSchedule;
  /** Working minutes of a local date `YYYY-MM-DD` under the schedule (0 on a day off). */
  workingMinutesOnDate(isoDate: string): number;
  isWorkingDate(isoDate: string): boolean;
}

export interface CreateWorkingTimeOptions {
  /** IANA zone, e.g. Europe/Moscow. */
  zone: string;
  /** A built calendar, or the options to build one. */
  calendar?: ProductionCalendar | BuildCalendarOptions;
  schedule?: ScheduleConfig | ResolvedSchedule;
}

interface DayPlan {
  /** [start0, end0, start1, end1, …] epoch ms. */
  ms: number[];
  /** Local minutes of day of the same bounds. */
  local: number[];
  total: number; // ms
}

const MINUTE = 60_000;
const MAX_DAYS = 3700; // ~10 years without a working minute means a broken schedule

/**
 * The organization's IANA zone with offsets answered from the cached local midnights where a day has
 * no offset change (luxon otherwise asks Intl for every instant, ~5 µs each). Falls back to IANAZone.
 * Behaves as an IANA zone: same type, name and equality.
 */
class CachedIanaZone extends Zone {
  constructor(
    private readonly inner: IANAZone,
    private readonly lookup: (ts: number) => number | undefined,
  ) {
    super();
  }
  override get type() {
    return 'iana';
  }
  override get name() {
    return this.inner.name;
  }
  get ianaName() {
    return this.inner.name;
  }
  override get isUniversal() {
    return false;
  }
  override get isValid() {
    return this.inner.isValid;
  }
  override offsetName(ts: number, opts: ZoneOffsetOptions) {
    return this.inner.offsetName(ts, opts);
  }
  override formatOffset(ts: number, format: ZoneOffsetFormat) {
    return FixedOffsetZone.instance(this.offset(ts)).formatOffset(ts, format);
  }
  override offset(ts: number) {
    return this.lookup(ts) ?? this.inner.offset(ts);
  }
  override equals(other: Zone) {
    return other.type === 'iana' && other.name === this.name;
  }
}

const isCalendar = (c: unknown): c is ProductionCalendar => typeof (c as ProductionCalendar)?.status === 'function';

export function createWorkingTime(opts: CreateWorkingTimeOptions): OrgWorkingTime {
  const zone = opts.zone;
  if (!DateTime.now().setZone(zone).isValid) throw new Error(`Unknown time zone "${zone}"`);
  const calendar = isCalendar(opts.calendar) ? opts.calendar : buildCalendar(opts.calendar ?? {});
  const schedule: ResolvedSchedule =
    opts.schedule && 'hours' in opts.schedule && opts.schedule.hours && Object.keys(opts.schedule.hours).length === 7 && 'lunch' in opts.schedule && opts.schedule.lunch !== undefined
      ? (opts.schedule as ResolvedSchedule)
      : resolveSchedule(opts.schedule as ScheduleConfig | undefined);

  // Hours of a Saturday/Sunday that a decree makes working while the schedule has it off:
  // the hours of the first weekday (Monday…Friday) that has any.
  const weekdayFallback =
    WEEKDAYS.slice(0, 5)
      .map((d) => schedule.hours[d])
      .find((h) => h) ?? null;
  const lunch = schedule.lunch ? ([minutesOfDay(schedule.lunch.start), minutesOfDay(schedule.lunch.end)] as const) : null;

  /** Local working periods (minutes of day) of a day number, per calendar and schedule. */
  function localPeriods(dn: number): number[] {
    const status = calendar.status(dn);
    if (status === 'off') return [];
    const wd = WEEKDAYS[isoWeekday(dn) - 1]!;
    let hours = schedule.hours[wd];
    if (!hours && (status === 'work' || status === 'short') && isoWeekday(dn) >= 6) hours = weekdayFallback;
    if (!hours) return [];
    const start = minutesOfDay(hours.start);
    const end = minutesOfDay(hours.end);
    let p: number[] = [start, end];
    if (lunch && lunch[0] < end && lunch[1] > start) {
      p = [];
      if (lunch[0] > start) p.push(start, lunch[0]);
      if (lunch[1] < end) p.push(lunch[1], end);
    }
    if (status === 'short') {
      // Art.95: one hour shorter, taken from the end of the day.
      let cut = 60;
      while (cut > 0 && p.length) {
        const len = p[p.length - 1]! - p[p.length - 2]!;
        if (len > cut) {
          p[p.length - 1]! -= cut;
          cut = 0;
        } else {
          cut -= len;
          p.length -= 2;
        }
      }
    }
    return p;
  }

  const localToMs = (dn: number, minute: number): number => {
    const { year, month, day } = civilDate(minute >= 1440 ? dn + 1 : dn);
    const m = minute >= 1440 ? minute - 1440 : minute;
    return DateTime.fromObject({ year, month, day, hour: Math.floor(m / 60), minute: m % 60 }, { zone }).toMillis();
  };

  const plans = new Map<number, DayPlan>();
  function plan(dn: number): DayPlan {
    let p = plans.get(dn);
    if (p) return p;
    const local = localPeriods(dn);
    const ms = local.map((m) => localToMs(dn, m));
    let total = 0;
    for (let i = 0; i < ms.length; i += 2) total += ms[i + 1]! - ms[i]!;
    p = { ms, local, total };
    plans.set(dn, p);
    return p;
  }

  // Local day of an instant, through cached local midnights.
  const midnights = new Map<number, number>();
  const midnight = (dn: number): number => {
    let m = midnights.get(dn);
    if (m === undefined) midnights.set(dn, (m = localToMs(dn, 0)));
    return m;
  };
  let offsetGuess = 3 * 3600_000;
  function dayOf(ms: number): number {
    let dn = Math.floor((ms + offsetGuess) / 86_400_000);
    for (let i = 0; i < 4; i++) {
      if (ms < midnight(dn)) dn--;
      else if (ms >= midnight(dn + 1)) dn++;
      else {
        offsetGuess = dn * 86_400_000 - midnight(dn);
        return dn;
      }
    }
    const t = DateTime.fromMillis(ms, { zone });
    return parseIsoDate(t.toISODate()!);
  }

  const DAY = 86_400_000;
  /** Offset (minutes) of an instant from cached midnights, when its local day has no offset change. */
  function cachedOffset(ts: number): number | undefined {
    const guess = Math.floor((ts + offsetGuess) / DAY);
    for (const c of [guess, guess - 1, guess + 1]) {
      const m0 = midnights.get(c);
      const m1 = midnights.get(c + 1);
      if (m0 !== undefined && m1 !== undefined && ts >= m0 && ts < m1) return m1 - m0 === DAY ? (c * DAY - m0) / MINUTE : undefined;
    }
    return undefined;
  }
  const fastZone = new CachedIanaZone(IANAZone.create(zone), cachedOffset);

  const noWorkingTime = () => new Error('The schedule and calendar have no working time within 10 years');

  function isWorkingMs(ms: number): boolean {
    const p = plan(dayOf(ms)).ms;
    for (let i = 0; i < p.length; i += 2) if (ms >= p[i]! && ms < p[i + 1]!) return true;
    return false;
  }

  /** The first working instant >= ms. */
  function nextWorking(ms: number): number {
    let dn = dayOf(ms);
    for (let n = 0; n < MAX_DAYS; n++, dn++) {
      const p = plan(dn).ms;
      for (let i = 0; i < p.length; i += 2) if (ms < p[i + 1]!) return Math.max(ms, p[i]!);
    }
    throw noWorkingTime();
  }

  /** The last instant <= ms that is working time or the end of a working period. */
  function prevWorking(ms: number): number {
    let dn = dayOf(ms);
    for (let n = 0; n < MAX_DAYS; n++, dn--) {
      const p = plan(dn).ms;
      for (let i = p.length - 2; i >= 0; i -= 2) if (ms > p[i]!) return Math.min(ms, p[i + 1]!);
    }
    throw noWorkingTime();
  }

  function addWorkingMs(from: number, amount: number): number {
    const t = nextWorking(from);
    let remaining = amount;
    let dn = dayOf(t);
    for (let n = 0; n < MAX_DAYS * 2; n++, dn++) {
      const p = plan(dn);
      if (n > 0 && p.total < remaining) {
        remaining -= p.total;
        continue;
      }
      for (let i = 0; i < p.ms.length; i += 2) {
        const e = p.ms[i + 1]!;
        if (e <= t) continue;
        const s = Math.max(p.ms[i]!, t);
        if (remaining <= e - s) return s + remaining;
        remaining -= e - s;
      }
    }
    throw noWorkingTime();
  }

  function subtractWorkingMs(from: number, amount: number): number {
    const t = prevWorking(from);
    let remaining = amount;
    let dn = dayOf(t);
    // prevWorking may return a period end that is local midnight of the next day
    if (t === midnight(dn) && plan(dn).ms[0] !== t) dn--;
    for (let n = 0; n < MAX_DAYS * 2; n++, dn--) {
      const p = plan(dn);
      if (n > 0 && p.total < remaining) {
        remaining -= p.total;
        continue;
      }
      for (let i = p.ms.length - 2; i >= 0; i -= 2) {
        const s = p.ms[i]!;
        if (s >= t) continue;
        const e = Math.min(p.ms[i + 1]!, t);
        if (remaining <= e - s) return e - remaining;
        remaining -= e - s;
      }
    }
    throw noWorkingTime();
  }

  /** The instant on day dn at local minute `tod`, clamped into the day's working time (see docs). */
  function atTimeOfDay(dn: number, tod: number): number {
    const p = plan(dn);
    const { local, ms } = p;
    if (tod <= local[0]!) return ms[0]!;
    for (let i = 0; i < local.length; i += 2) {
      if (tod < local[i]!) return ms[i - 1]!; // in a break: the end of the period before it
      if (tod <= local[i + 1]!) {
        const exact = ms[i]! + (tod - local[i]!) * MINUTE;
        // A period crossing a DST change: ask luxon for the wall-clock time.
        return ms[i + 1]! - ms[i]! === (local[i + 1]! - local[i]!) * MINUTE ? exact : localToMs(dn, tod);
      }
    }
    return ms[ms.length - 1]!; // after the (shortened) day's end: its end
  }

  /** Local minute of day of an instant lying inside (or at the end of) one of day dn's periods. */
  function timeOfDay(dn: number, t: number): number {
    const { local, ms } = plan(dn);
    for (let i = 0; i < ms.length; i += 2) {
      if (t >= ms[i]! && t <= ms[i + 1]!) {
        if (ms[i + 1]! - ms[i]! === (local[i + 1]! - local[i]!) * MINUTE) return local[i]! + (t - ms[i]!) / MINUTE;
        const w = DateTime.fromMillis(t, { zone });
        return w.hour * 60 + w.minute + w.second / 60 + w.millisecond / MINUTE;
      }
    }
    const w = DateTime.fromMillis(t, { zone });
    return w.hour * 60 + w.minute + w.second / 60 + w.millisecond / MINUTE;
  }

  function addWorkingDays(from: number, n: number, direction: 1 | -1): number {
    // Backwards, a working instant stays itself (09:00 Tuesday − 1 working day = 09:00 Monday).
    const t = direction === 1 ? nextWorking(from) : isWorkingMs(from) ? from : prevWorking(from);
    let dn = dayOf(t);
    if (direction === -1 && plan(dn).total === 0) dn--; // a period end at local midnight
    const tod = timeOfDay(dn, t);
    let count = 0;
    for (let k = 0; k < MAX_DAYS && count < n; k++) {
      dn += direction;
      if (plan(dn).total > 0) count++;
    }
    if (count < n) throw noWorkingTime();
    return atTimeOfDay(dn, tod);
  }

  const toMs = (t: DateTime): number => {
    if (!t.isValid) throw new Error(`Invalid DateTime: ${t.invalidReason}`);
    return t.toMillis();
  };
  const wrap = (ms: number) => {
    dayOf(ms); // caches the local midnights around ms, so the zone answers its offset at once
    return DateTime.fromMillis(ms, { zone: fastZone });
  };
  // Working ms of whole days from an anchor day: cum[k] = the working ms of days [cumFrom, cumFrom + k).
  // A span of many days (the monthly summary judges hundreds of thousands) then costs two look-ups, not a
  // walk over every day; ms are integers, so the sum is exactly the one of the walk.
  let cumFrom = 0;
  let cum: number[] = [];
  /** Working ms of the whole days [from, to). */
  const wholeDays = (from: number, to: number): number => {
    if (cum.length === 0) [cumFrom, cum] = [from, [0]];
    if (from < cumFrom) {
      const pre = [0];
      for (let dn = from; dn < cumFrom; dn++) pre.push(pre[pre.length - 1]! + plan(dn).total);
      const shift = pre.pop()!;
      cum = pre.concat(cum.map((c) => c + shift));
      cumFrom = from;
    }
    while (cumFrom + cum.length - 1 < to) cum.push(cum[cum.length - 1]! + plan(cumFrom + cum.length - 1).total);
    return cum[to - cumFrom]! - cum[from - cumFrom]!;
  };
  /** Working ms of day dn within [a, b). */
  const partOfDay = (dn: number, a: number, b: number): number => {
    const p = plan(dn);
    let sum = 0;
    for (let i = 0; i < p.ms.length; i += 2) {
      const s = Math.max(p.ms[i]!, a);
      const e = Math.min(p.ms[i + 1]!, b);
      if (e > s) sum += e - s;
    }
    return sum;
  };
  const workingMinutesBetweenMillis = (a: number, b: number): number => {
    if (b <= a) return 0;
    const da = dayOf(a);
    const db = dayOf(b);
    if (da === db) return partOfDay(da, a, b) / MINUTE;
    return (partOfDay(da, a, b) + wholeDays(da + 1, db) + partOfDay(db, a, b)) / MINUTE;
  };

  const unitMs = (d: Duration) => (d.unit === 'minutes' ? d.amount * MINUTE : d.amount * 60 * MINUTE);

  return {
    zone,
    calendar,
    schedule,
    add(from, d) {
      if (d.basis === 'calendar') return from.setZone(fastZone).plus({ [d.unit]: d.amount });
      if (d.unit === 'days') return wrap(addWorkingDays(toMs(from), d.amount, 1));
      return wrap(addWorkingMs(toMs(from), unitMs(d)));
    },
    subtract(from, d) {
      if (d.basis === 'calendar') return from.setZone(fastZone).minus({ [d.unit]: d.amount });
      if (d.unit === 'days') return wrap(addWorkingDays(toMs(from), d.amount, -1));
      return wrap(subtractWorkingMs(toMs(from), unitMs(d)));
    },
    workingMinutesBetween(fromDt, toDt) {
      return workingMinutesBetweenMillis(toMs(fromDt), toMs(toDt));
    },
    workingMinutesBetweenMillis,
    isWorkingTime(t) {
      return isWorkingMs(toMs(t));
    },
    nextWorkingMoment(t) {
      const ms = toMs(t);
      const n = nextWorking(ms);
      return n === ms ? t.setZone(fastZone) : wrap(n);
    },
    workingMinutesOnDate(d) {
      return plan(parseIsoDate(d)).total / MINUTE;
    },
    isWorkingDate(d) {
      return plan(parseIsoDate(d)).total > 0;
    },
  };
}
