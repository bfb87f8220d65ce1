"use client";

import { useState } from "react";
import * as DialogPrimitive from "@radix-ui/react-dialog";
import { Menu, X } from "lucide-react";
import { OVERLAY_CLASS } from "@/components/ui/dialog";
import { SidebarNav } from "./sidebar-nav";

/**
 * Below 1024 px the sidebar would leave a phone about 150 px for the page: it becomes a drawer
 * behind a menu button (Radix Dialog: focus trapped, Escape closes, focus returns to the button).
 */
export function MobileNav({ isSuperUser }: { isSuperUser: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <DialogPrimitive.Root open={open} onOpenChange={setOpen}>
      <DialogPrimitive.Trigger
        aria-label="Open navigation"
        className="rounded-md p-1.5 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 lg:hidden"
      >
        <Menu aria-hidden="true" className="size-5" />
      </DialogPrimitive.Trigger>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className={OVERLAY_CLASS} />
        <DialogPrimitive.Content
          aria-describedby={undefined}
          className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] overflow-y-auto bg-white shadow-xl focus:outline-none"
          // A link chosen in the drawer navigates: the drawer closes behind it.
          onClick={(event) => {
            if ((event.target as HTMLElement).closest("a")) setOpen(false);
          }}
        >
          <div className="flex items-center justify-between px-5 py-4">
            <DialogPrimitive.Title className="text-lg font-semibold text-indigo-700">Keyward</DialogPrimitive.Title>
            <DialogPrimitive.Close aria-label="Close navigation" className="rounded-md p-1.5 text-slate-700 hover:bg-slate-100">
              <X aria-hidden="true" className="size-5" />
            </DialogPrimitive.Close>
          </div>
          <SidebarNav isSuperUser={isSuperUser} />
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
