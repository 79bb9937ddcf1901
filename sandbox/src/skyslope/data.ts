/** SkySlope offices, users and checklist types a reset starts with. */
import type { Store } from "../state/store";

export interface Office {
  officeGuid: string;
  officeId: number;
  name: string;
  address: string;
  city: string;
  state: string;
  zip: string;
}

export interface User {
  userGuid: string;
  officeGuid: string;
  firstName: string;
  lastName: string;
  email: string;
  role: "Agent" | "Broker";
}

export interface ChecklistType {
  checklistTypeId: number;
  officeGuid: string;
  transactionType: "Listing" | "Sale";
  name: string;
}

export const OFFICES: Office[] = [
  {
    officeGuid: "d530742d-97e1-47fb-81a4-bb21c2cf1ab8",
    officeId: 12421,
    name: "Example Brokerage - Austin",
    address: "100 Congress Ave",
    city: "Austin",
    state: "TX",
    zip: "78701",
  },
  {
    officeGuid: "6f1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a6b",
    officeId: 12422,
    name: "Example Brokerage - Round Rock",
    address: "1 Main St",
    city: "Round Rock",
    state: "TX",
    zip: "78664",
  },
];

export const USERS: User[] = [
  {
    userGuid: "48433422-c9d7-4f5b-979c-b26a9fad130d",
    officeGuid: "d530742d-97e1-47fb-81a4-bb21c2cf1ab8",
    firstName: "Alex",
    lastName: "Kim",
    email: "alex@example-brokerage.test",
    role: "Agent",
  },
  {
    userGuid: "09c83abe-fcef-4746-a2bf-822917fa59a9",
    officeGuid: "d530742d-97e1-47fb-81a4-bb21c2cf1ab8",
    firstName: "Jordan",
    lastName: "Patel",
    email: "jordan@example-brokerage.test",
    role: "Agent",
  },
  {
    userGuid: "7b2e9f10-5c3d-4a8b-b6e7-0f1a2b3c4d5e",
    officeGuid: "6f1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a6b",
    firstName: "Morgan",
    lastName: "Reyes",
    email: "morgan@example-brokerage.test",
    role: "Broker",
  },
];

export function seedSkySlope(store: Store): void {
  for (const o of OFFICES) store.put<Office>("office", o.officeGuid, o);
  for (const u of USERS) store.put<User>("user", u.userGuid, u);
  let id = 3100;
  for (const o of OFFICES) {
    for (const [transactionType, names] of [
      ["Sale", ["Residential Purchase", "Other"]],
      ["Listing", ["New", "Residential Listing"]],
    ] as const) {
      for (const name of names)
        store.put<ChecklistType>("checklistType", ++id, { checklistTypeId: id, officeGuid: o.officeGuid, transactionType, name });
    }
  }
}
