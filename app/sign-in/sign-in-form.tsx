"use client";

import { useState, useSyncExternalStore } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { signInSchema, type SignInInput } from "@/lib/auth/schemas";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/field";

// One message for every failure: it must not reveal whether the email exists.
const GENERIC_ERROR = "Invalid email or password.";

const noSubscription = () => () => {};

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  // Until React has hydrated, a click would submit the form natively; keep the button off.
  // (false in the server's HTML and during hydration, true once React runs in the browser).
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<SignInInput>({ resolver: zodResolver(signInSchema), defaultValues: { email: "", password: "" } });

  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    const result = await signIn("credentials", { ...values, redirect: false, callbackUrl });
    if (!result || result.error || !result.ok) {
      setError(result?.error === "TooManyAttempts" ? "Too many attempts. Try again in 15 minutes." : GENERIC_ERROR);
      return;
    }
    // A full navigation, so that server components render with the new session cookie.
    window.location.assign(callbackUrl);
  });

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <div>
        <Label htmlFor="email">Email</Label>
        <Input id="email" type="email" autoComplete="username" aria-invalid={!!errors.email} {...register("email")} />
        <FieldError message={errors.email?.message} />
      </div>
      <div>
        <Label htmlFor="password">Password</Label>
        <Input
          id="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={!!errors.password}
          {...register("password")}
        />
        <FieldError message={errors.password?.message} />
      </div>
      <Button type="submit" className="w-full" disabled={!hydrated || isSubmitting}>
        {isSubmitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
