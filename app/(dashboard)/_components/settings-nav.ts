/** The Settings menu: shown in the sidebar and on /settings. */
export const SETTINGS_GROUPS = [
  {
    label: "Data & Monitoring",
    links: [
      { href: "/tenant-api-keys", label: "API Keys" },
      { href: "/audit-log", label: "Audit Log" },
      { href: "/settings/connections", label: "Connections" },
      { href: "/service-accounts", label: "Service Accounts" },
    ],
  },
];
