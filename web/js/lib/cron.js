// Cron schedules (5 fields or @macros, as CronJobs accept them): in words and the next run. Pure.

const macros = { "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *" };
const fieldSpecs = [["minute", 0, 59], ["hour", 0, 23], ["day of month", 1, 31], ["month", 1, 12], ["day of week", 0, 7]];
const monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const longDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const longMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function value(text, index) {
  const upper = text.toUpperCase();
  if (index === 3 && monthNames.includes(upper)) return monthNames.indexOf(upper) + 1;
  if (index === 4 && dayNames.includes(upper)) return dayNames.indexOf(upper);
  if (!/^\d+$/.test(text)) throw new Error(`invalid ${fieldSpecs[index][0]}: "${text}"`);
  return Number(text);
}

function parseField(text, index) {
  const [name, min, max] = fieldSpecs[index];
  const set = new Set();
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`invalid step in ${name}: "${part}"`);
    let lo, hi;
    if (range === "*" || range === "?") { lo = min; hi = max; } else if (range.includes("-")) {
      const [a, b] = range.split("-");
      lo = value(a, index); hi = value(b, index);
    } else { lo = value(range, index); hi = stepText === undefined ? lo : max; }
    if (lo < min || hi > max || lo > hi) throw new Error(`${name} out of range: "${part}"`);
    for (let v = lo; v <= hi; v += step) set.add(index === 4 && v === 7 ? 0 : v);
  }
  return { text, set, any: text === "*" || text === "?" };
}

/** Parses a schedule; throws Error with a readable message when it is malformed. */
export function parseCron(schedule) {
  let text = (schedule ?? "").trim();
  let zone = null;
  const tz = text.match(/^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/);
  if (tz) { zone = tz[1]; text = tz[2]; }
  text = macros[text] ?? text;
  const fields = text.split(/\s+/);
  if (fields.length !== 5) throw new Error(`expected 5 fields, found ${fields.length}: "${schedule}"`);
  const [minute, hour, dom, month, dow] = fields.map(parseField);
  return { minute, hour, dom, month, dow, zone };
}

const pad = (n) => String(n).padStart(2, "0");
function list(values, names) { return [...values].sort((a, b) => a - b).map((v) => names ? names[v] : v).join(", "); }
function step(text) { const m = text.match(/^\*\/(\d+)$/); return m ? Number(m[1]) : null; }

/** The schedule in words: "every 5 minutes", "at 02:30 every day", "at 09:00 on Monday, Friday". */
export function cronInWords(schedule) {
  let c;
  try { c = parseCron(schedule); } catch (e) { return `invalid schedule (${e.message})`; }
  let time;
  const singleMinute = c.minute.set.size === 1 && !c.minute.text.includes("/");
  const singleHour = c.hour.set.size === 1 && !c.hour.text.includes("/");
  if (c.minute.any && c.hour.any) time = "every minute";
  else if (step(c.minute.text) && c.hour.any) time = `every ${step(c.minute.text)} minutes`;
  else if (singleMinute && c.hour.any) time = c.minute.set.has(0) ? "every hour" : `at minute ${[...c.minute.set][0]} of every hour`;
  else if (singleMinute && step(c.hour.text)) time = `at minute ${[...c.minute.set][0]} every ${step(c.hour.text)} hours`;
  else if (singleMinute && singleHour) time = `at ${pad([...c.hour.set][0])}:${pad([...c.minute.set][0])}`;
  else if (singleMinute) time = `at minute ${[...c.minute.set][0]} past hours ${list(c.hour.set)}`;
  else time = `at minutes ${list(c.minute.set)} past ${c.hour.any ? "every hour" : `hours ${list(c.hour.set)}`}`;
  const days = [];
  if (!c.dom.any) days.push(`on day ${list(c.dom.set)} of the month`);
  if (!c.dow.any) days.push(`on ${list(c.dow.set, longDays)}`);
  if (!c.month.any) days.push(`in ${[...c.month.set].sort((a, b) => a - b).map((m) => longMonths[m - 1]).join(", ")}`);
  if (days.length === 0 && singleHour) days.push("every day");
  return [time, ...days].join(" ") + (c.zone ? ` (${c.zone})` : "");
}

/** The offset of `zone` from UTC at instant `ms`, in minutes (0 for UTC or an unknown zone). */
export function zoneOffsetMinutes(zone, ms) {
  if (!zone || zone === "UTC" || zone === "Etc/UTC") return 0;
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric",
      day: "numeric", hour: "numeric", minute: "numeric" }).formatToParts(new Date(ms));
    const get = (t) => Number(parts.find((p) => p.type === t).value);
    const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"));
    return Math.round((wall - Math.floor(ms / 60000) * 60000) / 60000);
  } catch { return 0; }
}

function dayMatches(c, date) {
  const dom = c.dom.set.has(date.getUTCDate());
  const dow = c.dow.set.has(date.getUTCDay());
  // Vixie cron: when both day fields are restricted, either may match.
  if (!c.dom.any && !c.dow.any) return dom || dow;
  return dom && dow;
}

/** The first run strictly after `afterMs`, as ms since the epoch, in `timeZone` (default UTC); null if none in 5 years. */
export function nextRun(schedule, afterMs, timeZone = null) {
  const c = parseCron(schedule);
  const zone = timeZone ?? c.zone;
  const offset = zoneOffsetMinutes(zone, afterMs);
  // Search in wall-clock time of the zone, treated as UTC fields.
  const t = new Date(Math.floor((afterMs + offset * 60000) / 60000) * 60000 + 60000);
  const limit = t.getTime() + 5 * 366 * 86400000;
  while (t.getTime() < limit) {
    if (!c.month.set.has(t.getUTCMonth() + 1)) { t.setUTCMonth(t.getUTCMonth() + 1, 1); t.setUTCHours(0, 0); continue; }
    if (!dayMatches(c, t)) { t.setUTCDate(t.getUTCDate() + 1); t.setUTCHours(0, 0); continue; }
    if (!c.hour.set.has(t.getUTCHours())) { t.setUTCHours(t.getUTCHours() + 1, 0); continue; }
    if (!c.minute.set.has(t.getUTCMinutes())) { t.setUTCMinutes(t.getUTCMinutes() + 1); continue; }
    const wall = t.getTime();
    return wall - zoneOffsetMinutes(zone, wall - offset * 60000) * 60000;
  }
  return null;
}
