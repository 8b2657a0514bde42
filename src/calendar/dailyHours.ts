// The hours of a unit's working morning (Europe/Stockholm, weekdays): the sweep makes the day's
// tasks, then the digests tell people of them. The schedules and the digests' "new" share them.
export const SWEEP_HOUR = 6;
export const DIGEST_HOUR = 7;
