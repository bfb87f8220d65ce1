import { z } from "zod";

// One schema for the /admin form's resolver and the server actions (create and edit).
export const rootKeyInputSchema = z
  .object({
    name: z
      .string({ error: "Enter a name." })
      .trim()
      .min(2, "Name must be at least 2 characters.")
      .max(200, "Name must be at most 200 characters."),
    // All tenants, or the listed ones (the mutation checks that each exists).
    allTenants: z.boolean({ error: "Choose all tenants or a list." }),
    tenantIds: z.array(z.string().min(1).max(64)).max(1000, "At most 1000 tenants.").default([]),
  })
  .refine((v) => v.allTenants || v.tenantIds.length > 0, {
    message: "Choose at least one tenant, or all tenants.",
    path: ["tenantIds"],
  });
export type RootKeyInput = z.input<typeof rootKeyInputSchema>;
