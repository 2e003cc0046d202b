import nlp from 'compromise';
const s = [
  'Home Secretary Amber Rudd said there should be “no place for terrorists to hide”.',
  'Neil Basu, deputy assistant commissioner, said: “His attack”',
  'In a statement released on Monday afternoon, Basu said: “There is no evidence”',
  'Transport minister Tom Hale told reporters outside court.',
  'the fast-moving investigation revealed more details such as Masood’s use of encrypted messaging service WhatsApp which',
];
for (const t of s) {
  const d = nlp(t);
  console.log(
    d
      .people()
      .json()
      .map((p: any) => p.terms.map((x: any) => x.text + '/' + x.tags.join(',')).join(' ')),
  );
  console.log(
    d
      .terms()
      .json()
      .map((p: any) => p.terms.map((x: any) => x.text + '/' + x.tags.slice(0, 3).join(',')).join(' '))
      .join(' | '),
  );
}
