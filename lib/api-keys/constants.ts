// Values the browser's key list and dialogs need, without zod: importing them from schemas.ts
// would put all of zod into /tenant-api-keys' first-load JavaScript (issue #16's 250 KiB budget).
// schemas.ts re-exports them, so server code keeps one import.

export const ROTATION_OVERLAPS = [
  { value: "none", label: "Immediately (default)", ms: 0 },
  { value: "1h", label: "Keep the old secret valid for 1 hour", ms: 60 * 60_000 },
  { value: "24h", label: "Keep the old secret valid for 24 hours", ms: 24 * 60 * 60_000 },
  { value: "7d", label: "Keep the old secret valid for 7 days", ms: 7 * 24 * 60 * 60_000 },
] as const;

export const EXPIRING_SOON_MS = 7 * 24 * 60 * 60_000;
export const PAGE_SIZES = [10, 20, 50, 100] as const;
