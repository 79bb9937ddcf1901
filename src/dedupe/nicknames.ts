// Each line is one family of interchangeable given names. Kept compact on purpose: the common
// English short forms that string similarity alone cannot bridge (bob/robert, peggy/margaret).
const FAMILIES = `
robert bob bobby rob robbie bert
william bill billy will willy liam
richard rick ricky dick rich richie
james jim jimmy jamie
john jack johnny jon
jonathan jon
joseph joe joey
thomas tom tommy
charles charlie chuck chas
edward ed eddie ted ned
theodore ted teddy theo
michael mike mikey mick
christopher chris kit topher
daniel dan danny
david dave davy
anthony tony
andrew andy drew
alexander alex al sandy xander
alexandra alex sandra sandy lexi
albert al bert
alan al
benjamin ben benny
nicholas nick nicky
matthew matt
samuel sam sammy
patrick pat paddy
patricia pat patty trish tricia
stephen steve steven stevie
gregory greg
jeffrey jeff
kenneth ken kenny
lawrence larry
leonard leo len lenny
raymond ray
ronald ron ronnie
donald don donny
douglas doug
gerald gerry jerry
harold hal harry
henry hank harry
frederick fred freddie
francis frank
franklin frank
peter pete
phillip phil philip
timothy tim timmy
walter walt wally
zachary zach zack
nathaniel nate nathan
joshua josh
jacob jake
elizabeth liz lizzie beth betty betsy eliza libby elsie
margaret maggie meg peggy marge madge
katherine kate katie kathy kath kat catherine cathy kathryn kitty
jennifer jen jenny
jessica jess jessie
rebecca becky becca
susan sue susie suzanne
deborah deb debbie
dorothy dot dottie
barbara barb barbie
victoria vicky tori
abigail abby gail
samantha sam sammy
christina chris tina christine kristina
virginia ginny ginger
frances fran frankie
amanda mandy
emily em emmy
isabella bella izzy isabel isabelle
eleanor ellie nora
helen nell nellie
ann anne anna annie nancy hannah
mary molly polly mae
sarah sally sadie sara
judith judy
caroline carrie carol
jacqueline jackie
gabrielle gabby gabriella
`;

const familiesOf = new Map<string, number[]>();
const canonical = new Map<string, string>();
FAMILIES.trim()
  .split("\n")
  .forEach((line, family) => {
    const names = line.trim().split(/\s+/);
    for (const name of names) {
      const list = familiesOf.get(name);
      if (list === undefined) familiesOf.set(name, [family]);
      else list.push(family);
      if (!canonical.has(name)) canonical.set(name, names[0] ?? name);
    }
  });

/** True when two different given names are known short/long forms of each other. */
export function isNickname(a: string, b: string): boolean {
  if (a === b) return false;
  const fa = familiesOf.get(a);
  const fb = familiesOf.get(b);
  if (fa === undefined || fb === undefined) return false;
  return fa.some((f) => fb.includes(f));
}

/** The first family's canonical (long) name, used as a blocking key so "bob" meets "robert". */
export function canonicalGivenName(name: string): string {
  return canonical.get(name) ?? name;
}
