import { forwardRef, type ButtonHTMLAttributes } from "react";
import { cva, type VariantProps } from "class-variance-authority";
import { twMerge } from "tailwind-merge";

const buttonVariants = cva(
  "inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-50",
  {
    variants: {
      variant: {
        primary: "bg-indigo-600 text-white hover:bg-indigo-700 focus-visible:outline-indigo-600",
        secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 focus-visible:outline-slate-500",
        danger: "bg-red-600 text-white hover:bg-red-700 focus-visible:outline-red-600",
        ghost: "text-slate-700 hover:bg-slate-100 focus-visible:outline-slate-500",
      },
    },
    defaultVariants: { variant: "primary" },
  },
);

type Variant = NonNullable<VariantProps<typeof buttonVariants>["variant"]>;

/**
 * A button's classes, for links styled as buttons too. tailwind-merge lets a caller's class win
 * over the variant's (`text-red-700` on a secondary button replaces its `text-slate-800`
 * instead of both landing in the class list, where the stylesheet's order would decide).
 */
export function buttonClass(variant: Variant = "primary", extra = ""): string {
  return twMerge(buttonVariants({ variant }), extra);
}

export const Button = forwardRef<HTMLButtonElement, ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }>(
  function Button({ variant = "primary", className = "", type = "button", ...props }, ref) {
    return <button ref={ref} type={type} className={buttonClass(variant, className)} {...props} />;
  },
);
