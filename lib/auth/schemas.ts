import { z } from "zod";
import "../zod-jitless";

export const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").email("Enter a valid email address.").max(320),
  password: z.string().min(1, "Enter your password.").max(1024),
});
export type SignInInput = z.infer<typeof signInSchema>;

// Browsers drop tabs and newlines inside URLs ("/<TAB>/evil.example" becomes "//evil.example"),
// so no control character may appear in a return path at all.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Only same-site relative paths may be returned to after sign-in (no open redirect). */
export function safeCallbackUrl(value: unknown, fallback = "/tenant-api-keys"): string {
  if (
    typeof value !== "string" ||
    !value.startsWith("/") ||
    value.startsWith("//") ||
    value.includes("\\") ||
    CONTROL_CHARACTER.test(value)
  ) {
    return fallback;
  }
  return value;
}
