/**
 * Words that frame a question rather than say what it is about: "can someone explain how the
 * attack went down", "what's the deal with whatsapp", "what happened on sunday". They still match
 * (a passage that has them is a little better), but they weigh little in the evidence test, so
 * a natural question is not declined for its filler words, whether the report uses them or not.
 *
 * Built from the SMART stop list (Salton's SMART system, 571 words; the usual English list for
 * IR), minus the words that carry an answer or a fact in questions about events ("old", "name",
 * "last", "alone", "before", "still", "without", number words...: see CONTENT_WORDS_IN_SMART),
 * plus light verbs and discourse words that the SMART list lacks ("happen", "deal", "update").
 */

const SMART_STOP_LIST = `a's able about above according accordingly across actually after afterwards again against
  ain't all allow allows almost alone along already also although always am among amongst an and another any anybody
  anyhow anyone anything anyway anyways anywhere apart appear appreciate appropriate are aren't around as aside ask
  asking associated at available away awfully be became because become becomes becoming been before beforehand behind
  being believe below beside besides best better between beyond both brief but by c'mon c's came can can't cannot cant
  cause causes certain certainly changes clearly co com come comes concerning consequently consider considering
  contain containing contains corresponding could couldn't course currently definitely described despite did didn't
  different do does doesn't doing don't done down downwards during each edu eg eight either else elsewhere enough
  entirely especially et etc even ever every everybody everyone everything everywhere ex exactly example except far
  few fifth first five followed following follows for former formerly forth four from further furthermore get gets
  getting given gives go goes going gone got gotten greetings had hadn't happens hardly has hasn't have haven't having
  he he's hello help hence her here here's hereafter hereby herein hereupon hers herself hi him himself his hither
  hopefully how howbeit however i'd i'll i'm i've ie if ignored immediate in inasmuch inc indeed indicate indicated
  indicates inner insofar instead into inward is isn't it it'd it'll it's its itself just keep keeps kept know known
  knows last lately later latter latterly least less lest let let's like liked likely little look looking looks ltd
  mainly many may maybe me mean meanwhile merely might more moreover most mostly much must my myself name namely nd
  near nearly necessary need needs neither never nevertheless new next nine no nobody non none noone nor normally not
  nothing novel now nowhere obviously of off often oh ok okay old on once one ones only onto or other others otherwise
  ought our ours ourselves out outside over overall own particular particularly per perhaps placed please plus possible
  presumably probably provides que quite qv rather rd re really reasonably regarding regardless regards relatively
  respectively right said same saw say saying says second secondly see seeing seem seemed seeming seems seen self
  selves sensible sent serious seriously seven several shall she should shouldn't since six so some somebody somehow
  someone something sometime sometimes somewhat somewhere soon sorry specified specify specifying still sub such sup
  sure t's take taken tell tends th than thank thanks thanx that that's thats the their theirs them themselves then
  thence there there's thereafter thereby therefore therein theres thereupon these they they'd they'll they're
  they've think third this thorough thoroughly those though three through throughout thru thus to together too took
  toward towards tried tries truly try trying twice two un under unfortunately unless unlikely until unto up upon us
  use used useful uses using usually value various very via viz vs want wants was wasn't way we we'd we'll we're we've
  welcome well went were weren't what what's whatever when whence whenever where where's whereafter whereas whereby
  wherein whereupon wherever whether which while whither who who's whoever whole whom whose why will willing wish
  with within without won't wonder would wouldn't yes yet you you'd you'll you're you've your yours yourself
  yourselves zero`;

/**
 * SMART words that are the point of a question about a news event: an age ("how old"), a name,
 * an order in time ("last offence", "before the attack", "still in custody", "bailed until"),
 * a count (number words), a relation ("acted alone", "behind the attack", "help", "against"),
 * a place ("near", "outside"), what was seen. These keep their full weight.
 */
const CONTENT_WORDS_IN_SMART = `according after afterwards against alone before beforehand behind eight first five four
  help later last latter name near new next nine old one outside saw second seen seven since six still
  third three two twice until without zero`;

/** What chat questions frame themselves with, that the SMART list lacks. */
const CHAT_FILLERS = [
  // light verbs, in all their forms (the list is matched word for word)
  `happen happened happening happens occur occurred occurring went goes going gone go find found finding
  make made makes making put puts bring brought back play plays played playing taking takes doing looked asks
  asked wanted wanting needed trying seeming understand understood figure figured note noted
  considered deemed regarded classed viewed tell explain explained describe described`,
  // what did X say: the quote is found through X
  `comment comments commented remark remarks position stance view views opinion opinions thoughts reaction
  reactions response responses responded react reacted quote quoted quotes words word`,
  // vague nouns and evaluative words
  `deal dealing deals thing things stuff situation story stories matter case cases bit lot part parts whole
  entire full general total altogether exact specific actual precise important importance big main major key
  huge latest update updates news info information detail details happenings regard point points fact facts
  idea ideas state status progress end ended ending list rundown overview angle angles`,
  // who is said to have said it: "my uncle says", "people online", "the papers"
  `people ppl folks time times uncle aunt mum mom dad friend friends mate mates bro papers paper newspapers
  press tabloids twitter facebook reddit tiktok internet guy guys dude bloke`,
  // chat slang
  `tho tbh ngl imo imho smh fr lmao lmfao omg wtf damn pls plz ok okay yeah yep nah`,
].join(' ');

function wordSet(text: string): Set<string> {
  return new Set(text.split(/\s+/).filter(Boolean));
}

const contentWords = wordSet(CONTENT_WORDS_IN_SMART);

const genericWords: ReadonlySet<string> = new Set(
  [...wordSet(SMART_STOP_LIST), ...wordSet(CHAT_FILLERS)].filter((word) => !contentWords.has(word)),
);

/** Whether a word of a question is generic (words are listed in all their forms: "take", "takes", "taking", "took"). */
export function isGenericWord(word: string): boolean {
  return genericWords.has(word);
}
