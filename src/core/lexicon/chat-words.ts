/**
 * Chat abbreviations and spellings people type in any channel, to the words they stand for.
 * General English only: nothing here is about one report.
 */
export const CHAT_WORDS: Readonly<Record<string, string>> = {
  u: 'you', ur: 'your', ya: 'you', yu: 'you', r: 'are', y: 'why', n: 'and', da: 'the', teh: 'the',
  wat: 'what', wut: 'what', wot: 'what', wht: 'what', wen: 'when', wher: 'where', whr: 'where', hw: 'how',
  ppl: 'people', peeps: 'people', ppls: 'people', govt: 'government', gov: 'government', govts: 'governments',
  dept: 'department', intl: 'international', natl: 'national', org: 'organisation', orgs: 'organisations',
  bc: 'because', bcuz: 'because', bcoz: 'because', cuz: 'because', coz: 'because', cos: 'because',
  b4: 'before', abt: 'about', bout: 'about', thru: 'through', tho: 'though', altho: 'although',
  w: 'with', wo: 'without', msg: 'message', msgs: 'messages', txt: 'text', pic: 'picture', pics: 'pictures',
  info: 'information', yr: 'year', yrs: 'years', yo: 'years old', hr: 'hour', hrs: 'hours', min: 'minute',
  mins: 'minutes', sec: 'second', secs: 'seconds', wk: 'week', wks: 'weeks', mo: 'month', mos: 'months',
  tmrw: 'tomorrow', tmr: 'tomorrow', yday: 'yesterday', tonite: 'tonight', nite: 'night', bday: 'birthday',
  pls: 'please', plz: 'please', thx: 'thanks', thnx: 'thanks', ty: 'thanks', gonna: 'going to', wanna: 'want to',
  gotta: 'got to', kinda: 'kind of', sorta: 'sort of', dunno: "don't know", idk: "don't know", smth: 'something',
  sth: 'something', sb: 'somebody', smb: 'somebody', bro: 'brother', sis: 'sister', mum: 'mother',
  mom: 'mother', dad: 'father', convo: 'conversation', uni: 'university', admin: 'administration', ok: 'okay',
  wud: 'would', cud: 'could', shud: 'should', wont: "won't", dont: "don't", didnt: "didn't", doesnt: "doesn't",
  isnt: "isn't", wasnt: "wasn't", cant: "can't", aint: "isn't", whats: 'what is', whos: 'who is', wheres: 'where is',
  hows: 'how is', thats: 'that is', theres: 'there is', hes: 'he is', shes: 'she is', im: 'i am', ive: 'i have',
};
