/** Word lists the lead generator draws from (invented people, 555-01xx fictional numbers). */

export const FIRST_NAMES = [
  "Ana", "Marcus", "Priya", "Daniel", "Sofia", "James", "Mei", "Carlos", "Olivia", "Ethan",
  "Fatima", "Liam", "Grace", "Noah", "Isabella", "Mateo", "Chloe", "Lucas", "Aisha", "Henry",
  "Zoe", "Samuel", "Hannah", "Diego", "Emily", "Omar", "Ava", "Benjamin", "Leah", "Jacob",
  "Nora", "Elijah", "Camila", "Wyatt", "Layla", "Julian", "Ruby", "Isaac", "Stella", "Adrian",
  "Mary Beth", "Jean-Luc", "De'Andre", "Siobhan", "Thanh", "Kwame", "Yuki", "Bjorn", "Renée", "José",
];

export const LAST_NAMES = [
  "Ruiz", "Johnson", "Patel", "Nguyen", "Garcia", "Smith", "Chen", "Williams", "Brown", "Jones",
  "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
  "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
  "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
  "O'Brien", "McDonald", "Van der Berg", "St. James", "Okafor", "Kowalski", "Nakamura", "Smith-Jones", "De La Cruz", "MacLeod",
];

export const EMAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "aol.com", "example.com", "proton.me"];

/** City, state, ZIP and the area codes used there. */
export const PLACES = [
  { city: "Austin", state: "TX", zip: "78701", areaCodes: ["512", "737"] },
  { city: "Round Rock", state: "TX", zip: "78664", areaCodes: ["512"] },
  { city: "Denver", state: "CO", zip: "80205", areaCodes: ["303", "720"] },
  { city: "Phoenix", state: "AZ", zip: "85004", areaCodes: ["602", "480"] },
  { city: "Nashville", state: "TN", zip: "37203", areaCodes: ["615"] },
  { city: "Raleigh", state: "NC", zip: "27601", areaCodes: ["919", "984"] },
  { city: "Tampa", state: "FL", zip: "33602", areaCodes: ["813"] },
  { city: "Columbus", state: "OH", zip: "43215", areaCodes: ["614", "380"] },
  { city: "Sacramento", state: "CA", zip: "95814", areaCodes: ["916"] },
  { city: "Boise", state: "ID", zip: "83702", areaCodes: ["208"] },
] as const;

export const STREET_NAMES = [
  "Oak", "Maple", "Cedar", "Pine", "Elm", "Walnut", "Willow", "Lakeview", "Hillcrest", "Sunset",
  "Meadow", "River", "Park", "Highland", "Briarwood", "Magnolia", "Juniper", "Aspen", "Cypress", "Canyon",
];

export const STREET_SUFFIXES = ["St", "Ave", "Ln", "Dr", "Rd", "Blvd", "Ct", "Way", "Street", "Avenue", "Lane", "Drive"];

export const MESSAGES = [
  "Is {street} still available? I'd like to schedule a showing.",
  "Hi, I'm interested in {street}. Can you send more details?",
  "What are the HOA fees for {street}?",
  "We're relocating in the spring and {street} looks great. Is the price negotiable?",
  "Can I see {street} this weekend?",
  "I'm pre-approved and want to tour {street} soon.",
  "Please contact me about {street}. Best time is after 5pm.",
  "",
];

export const SELLER_MESSAGES = [
  "Thinking about selling my home at {street}. What could it list for?",
  "I'd like a CMA for {street}.",
  "We may sell {street} next year; can we talk?",
];
