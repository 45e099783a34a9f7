"""Hand-written texts for the sample corpus built by ``scripts/make_sample_corpus.py``.

Everything here is original prose written for the sample; the sites, people and
places in the web articles are fictional. Nothing in this module is random.

* ``ARTICLES``: language -> list of (title, paragraphs). Distinct web articles.
  The first entries of ``en``, ``de`` and ``fr`` marked LONG are at least 350 words:
  the generator republishes them with small edits as near duplicates.
* ``MOJIBAKE_ARTICLES``: (language, title, paragraphs) served double-encoded.
* ``SPAM_PAGES``, ``LOREM_PAGES``, ``COOKIE_PAGE``: low-quality pages.
* ``DOCS``: records for docs.jsonl.
* ``WIKI_PAGES``: wikitext pages for the MediaWiki dump.
"""

ARTICLES: dict[str, list[tuple[str, list[str]]]] = {}

ARTICLES["en"] = [
    # LONG: near duplicate with a changed word or two.
    ("Council approves new footbridge over the Marrow River", [
        "Riverside will get its first new river crossing in more than forty years after the town council "
        "voted on Tuesday evening to approve a pedestrian and cycle bridge linking Mill Lane with the "
        "playing fields on the east bank. The decision came after a long meeting in which residents from "
        "both sides of the river spoke for and against the plans.",
        "The bridge, which is expected to cost around 3.2 million pounds, will be a single steel span "
        "about sixty metres long. Engineers told councillors that it would sit high enough above the "
        "water to let the rowing club's boats pass underneath even when the river is swollen after "
        "heavy rain. Lighting will be set into the handrails so that the structure does not disturb the "
        "bats that roost in the old willows near the weir.",
        "Supporters said the crossing would finally give families on the east bank a safe way to reach "
        "the station and the primary school without a long detour over the busy road bridge. One mother "
        "of three told the meeting that she currently spends almost forty minutes each morning walking "
        "her children to school, and that the new route would cut the journey to less than fifteen.",
        "Not everyone was convinced. Several people who live along Mill Lane worried about extra "
        "traffic and parking in their narrow street, and a local angling society asked for assurances "
        "that the construction work would not damage the riverbank during the spawning season. The "
        "council's planning officer said a traffic study had found little risk of extra parking, because "
        "most users would arrive on foot or by bicycle, and that work in the water would be limited to "
        "the late summer months.",
        "Councillor Priya Natarajan, who chairs the transport committee, described the vote as a "
        "turning point for the town. She said the bridge was part of a wider plan to make short trips "
        "easier without a car, and that the council would now apply for a regional grant to cover "
        "roughly half of the cost. The rest will come from money set aside by developers of the new "
        "housing estate near the old brickworks.",
        "If the grant is approved, construction could begin next spring and the bridge could open to "
        "the public about a year later. The council has promised to publish the detailed designs on its "
        "website and to hold two drop-in sessions at the library, where residents will be able to ask "
        "questions and comment on the choice of materials and the colour of the railings.",
    ]),
    # LONG: near duplicate with a corrected date.
    ("Volunteers count record number of wading birds at the estuary", [
        "More than two hundred volunteers braved a cold wind on Saturday, 9 March, to take part in the "
        "annual spring count of wading birds on the Saltmere estuary, and the early results suggest "
        "that it was the best year since records began. The organisers said they had counted just over "
        "forty-one thousand birds, compared with about thirty-four thousand at the same time last year.",
        "The count has been carried out every spring for almost three decades. Volunteers are given a "
        "short stretch of shoreline each, and they record every bird they see during the two hours "
        "around high tide, when the rising water pushes the birds off the mudflats and into tight "
        "flocks on the shingle banks. The numbers are then checked and combined by a small team at the "
        "visitor centre, which removes any birds that may have been counted twice.",
        "Dunlin were once again the most common species, with more than fifteen thousand counted, "
        "followed by knot, redshank and oystercatchers. The biggest surprise was a flock of nearly three "
        "hundred avocets near the old sluice gate. Twenty years ago the elegant black and white birds "
        "were a rare sight on this part of the coast, but they have been returning in growing numbers "
        "since the salt marsh was restored.",
        "Dr Helen Marsh, who coordinates the survey, said the results were encouraging but should be "
        "treated with some caution. Bird numbers can change a great deal from one year to the next, she "
        "explained, depending on the weather in the Arctic breeding grounds and on how much food the "
        "birds find on their way south. A single good year does not prove that the population is "
        "recovering, although the trend over the last decade has been positive.",
        "She also praised the volunteers, many of whom were taking part for the first time. Some had "
        "travelled from the city, and a group of students from the agricultural college brought their "
        "own telescopes and notebooks. Older hands helped newcomers tell apart the similar brown waders, "
        "which can be difficult to identify when they are huddled together at a distance.",
        "The full results will be published in the summer, after they have been checked against counts "
        "from neighbouring estuaries. Anyone who would like to join next year can sign up at the visitor "
        "centre, and no previous experience is needed. The organisers recommend warm clothes, a flask of "
        "something hot and, if possible, a pair of binoculars.",
    ]),
    # LONG: near duplicate with an appended sentence.
    ("How a small bakery learned to love slow fermentation", [
        "When Tomasz Wójcik opened his bakery on the corner of Orchard Street six years ago, he made "
        "bread the way he had been taught in a large industrial kitchen: plenty of commercial yeast, a "
        "warm proving cabinet and loaves ready to bake within three hours. The bread sold well enough, "
        "but he says it never tasted the way he remembered from his grandmother's kitchen.",
        "Everything changed during a quiet winter, when he started to experiment with a sourdough "
        "starter that a customer had given him in a jam jar. He began to let the dough rest overnight in "
        "a cool room, sometimes for as long as eighteen hours. The slow fermentation gave the bacteria "
        "and wild yeasts in the starter time to develop flavour, and the crust became darker and more "
        "crackly in the oven.",
        "The new method required a complete change to the way the bakery worked. Instead of arriving at "
        "three in the morning to mix dough from scratch, the bakers now mix in the afternoon, shape the "
        "loaves in the evening and leave them in the cold room overnight. In the morning the loaves go "
        "straight into the oven. Wójcik says that his staff are happier, because the hardest work now "
        "happens during normal hours.",
        "Customers noticed the difference quickly. Some missed the soft white rolls and complained that "
        "the new crust was too hard, so the bakery still makes a small batch of them every day. Most, "
        "however, took to the tangy flavour and the open, chewy crumb. A few people with mild digestive "
        "problems told him that they found the long-fermented bread easier to eat, although he is "
        "careful not to make any medical claims.",
        "The bakery now uses flour from a mill about thirty miles away, where the grain is ground "
        "between stones. It costs more than ordinary flour, and the loaves are priced accordingly, but "
        "Wójcik believes that people are willing to pay for bread that keeps well for several days and "
        "tastes of something. On Saturdays there is often a queue outside the door before the shop opens.",
        "He is happy to share what he has learned. Once a month he runs an evening class for home bakers, "
        "who go home with a portion of his starter, now more than five years old, and a sheet of "
        "handwritten instructions. His main advice is simple: be patient, keep the dough cool and do not "
        "be afraid of a dark crust, because that is where much of the flavour is found.",
    ]),
    # LONG: root of the near-duplicate chain A~B~C.
    ("The quiet comeback of the night train", [
        "For many years the night train seemed to belong to the past. Cheap flights and fast daytime "
        "services took away most of its passengers, and one overnight route after another was quietly "
        "withdrawn. Yet in the last few years sleeper carriages have begun to roll across the continent "
        "again, and the trains are often fully booked weeks in advance.",
        "Part of the appeal is practical. A traveller who boards a train in the late evening can sleep "
        "through the journey and arrive in the centre of another city in time for breakfast, without "
        "the early start, the airport security queue and the long transfer from an airport far outside "
        "town. For business travellers the saving of a hotel night can make the ticket price look much "
        "more reasonable.",
        "Many passengers also say that they choose the train because of its smaller carbon footprint. "
        "An overnight journey by electric train produces only a fraction of the emissions of a short "
        "flight covering the same distance, and the difference matters to a growing number of people "
        "who want to keep travelling without feeling guilty about it.",
        "Then there is the romance of the experience. Watching the lights of small stations slide past "
        "the window, falling asleep to the rocking of the carriage and waking up to unfamiliar "
        "mountains or fields has a charm that no aircraft can offer. Travel writers have not been slow "
        "to notice, and the revival has been followed by a flood of articles and guidebooks.",
        "The comeback has not been easy for the operators. Sleeper carriages are expensive to build and "
        "maintain, and they can only make one journey each day, unlike a daytime train that may shuttle "
        "back and forth several times. Track access charges differ from country to country, and crossing "
        "borders often means changing locomotives and crews. Several new routes have depended on "
        "government support during their first years.",
        "Passengers have their own complaints. Cabins can be cramped, the heating does not always work, "
        "and delays during the night can turn a relaxing journey into a long and tiring one. Booking "
        "systems are another common frustration, since a journey through three countries may involve "
        "three different railway companies and several separate tickets.",
        "Despite these problems, the industry is cautiously optimistic. New carriages with private "
        "showers and capsule beds for single travellers are being delivered, and more routes have been "
        "announced for the coming years. Whether the night train can become an everyday choice rather "
        "than an occasional adventure will depend on reliable timetables and fair prices.",
    ]),
    ("Riverside under-12s reach the county cup final", [
        "Riverside Rovers under-12s will play in the county cup final for the first time after a "
        "thrilling two-one win against Hollow Green on Sunday morning. The young players came from "
        "behind in the second half, cheered on by a crowd of parents, grandparents and classmates who "
        "lined the touchline despite the drizzle.",
        "Hollow Green took the lead after only ten minutes, when their tall striker headed in a corner "
        "at the far post. Riverside struggled to keep the ball for much of the first half and were "
        "grateful to their goalkeeper, Ellie Brandon, who made two fine saves before the break.",
        "The coach, Marcus Reid, said he told his team at half time to stay calm and pass the ball "
        "along the ground. The change worked. Five minutes after the restart, midfielder Sam Okoye "
        "curled a shot into the top corner from the edge of the penalty area, and with just a few "
        "minutes left, substitute Noah Finch tapped in the winner after a scramble in the box.",
        "The final will be played next month at the county ground. Reid said that the club would "
        "organise a coach for supporters and that the players were already asking about the size of the "
        "changing rooms.",
    ]),
    ("Town library extends its weekend opening hours", [
        "The central library on Bridge Street will open on Sunday afternoons from next month, the county "
        "council has announced. It will also stay open until six o'clock on Saturdays instead of closing "
        "at four, after a survey found that many residents could not visit during the working week.",
        "More than eight hundred people answered the survey last autumn. Most of them said that they "
        "would use the library more often if it were open when they were not at work, and parents of "
        "young children asked for more space for family activities at the weekend.",
        "The extra hours will be covered by two new part-time staff and a team of trained volunteers. "
        "The library manager, Gwen Adeyemi, said that volunteers would help with the children's story "
        "sessions and the computer help desk, but that qualified librarians would always be on duty.",
        "The building has been busier than ever since its refurbishment two years ago, when a café, "
        "quiet study rooms and a small maker space with a three-dimensional printer were added. Visitors "
        "can also borrow laptops, board games and even fishing rods, a popular scheme that was started by "
        "a retired teacher who donated his own collection.",
    ]),
    ("Why octopuses change colour", [
        "Few animals can transform their appearance as quickly as the octopus. In less than a second, "
        "an octopus resting on a rock can turn from pale sand to a mottled brown that matches the stone "
        "almost perfectly, and then flush dark red if it feels threatened.",
        "The secret lies in thousands of tiny organs in its skin called chromatophores. Each one is a "
        "small elastic sac filled with pigment, surrounded by muscles that are controlled directly by "
        "the nervous system. When the muscles contract, the sac is stretched open and the colour "
        "spreads out; when they relax, the sac shrinks to a dot that is almost invisible.",
        "Beneath the chromatophores lie other cells that reflect light rather than absorb it. Some "
        "create shimmering blues and greens, while others act like white mirrors that scatter the light "
        "around them. Working together, these layers allow the octopus to produce an astonishing range "
        "of patterns.",
        "Curiously, most octopuses are thought to be colour blind. Scientists are still debating how "
        "they manage to match their surroundings so well. One idea is that light-sensitive proteins in "
        "the skin itself help the animal sense its background, but the question is far from settled.",
        "Colour change is not only used for hiding. Octopuses also flash patterns to startle predators, "
        "to signal to one another and, according to some researchers, even while they are asleep.",
    ]),
    ("A beginner's guide to home composting", [
        "Composting is one of the simplest ways to reduce the amount of rubbish a household throws away. "
        "Fruit and vegetable peelings, coffee grounds, tea bags and garden waste can all be turned into a "
        "dark, crumbly material that improves the soil and feeds plants.",
        "The first step is to choose a spot. A compost bin works best on bare soil in a place that gets "
        "some sun, so that worms and other small creatures can move in from below and the heap stays "
        "warm. Plastic bins with a lid are cheap and tidy, but a simple box made from old pallets works "
        "just as well.",
        "The most important rule is to balance green and brown materials. Green waste, such as grass "
        "cuttings and kitchen scraps, is rich in nitrogen and rots quickly. Brown waste, such as dry "
        "leaves, straw and torn cardboard, adds carbon and structure. If the heap becomes wet and smelly, "
        "add more brown material; if nothing seems to happen, add more green.",
        "Avoid meat, fish and dairy products, which attract rats, and do not add diseased plants or the "
        "roots of persistent weeds. Turning the heap with a fork every few weeks lets in air and speeds "
        "things up. After six months to a year, the compost at the bottom should be ready to use.",
    ]),
    ("The lighthouse at Gull Point and the family who kept it", [
        "For almost a century, the lighthouse at Gull Point was looked after by members of the same "
        "family. The first keeper, Thomas Pender, arrived in 1861 with his wife and four children, and "
        "the last of his descendants left the tower when the light was automated in 1958.",
        "Life on the point was hard. The keepers had to climb the spiral staircase many times each night "
        "to wind the clockwork that turned the lens, to trim the wicks and to polish the glass so that "
        "the beam would reach ships far out at sea. In winter storms, waves sometimes broke over the "
        "cottage roof, and supplies could not be landed for weeks.",
        "Letters kept by the family show that the children were taught at home for many years, until a "
        "small school opened in the village across the bay. They also describe dramatic rescues, "
        "including the night in 1893 when the keeper and his two sons rowed out to a stranded fishing "
        "boat and brought five men safely ashore.",
        "Today the tower is owned by a local trust, which has restored the lamp room and opened the "
        "cottage as a small museum. Visitors can read the old logbooks, see the brass instruments and "
        "climb to the gallery for a view along the coast.",
    ]),
    ("Solar panels on school roofs cut energy bills", [
        "Four primary schools in the district have saved a combined total of almost forty thousand pounds "
        "on electricity in the first year after installing solar panels on their roofs, according to "
        "figures published by the education authority this week.",
        "The panels were paid for through a community energy scheme, in which local residents bought "
        "shares and receive a small annual return from the sale of the electricity. The schools buy the "
        "power at a fixed price that is lower than the rate they used to pay to their supplier.",
        "Head teachers say the benefits go beyond the savings. At Elmwood Primary, a screen in the "
        "entrance hall shows how much electricity the panels are producing, and pupils use the data in "
        "mathematics and science lessons. Children have even started to compare sunny and cloudy days "
        "and to predict the output for the following week.",
        "The scheme's organisers now hope to add panels to a secondary school and the leisure centre. "
        "They plan to hold a public meeting next month for anyone who would like to invest or to learn "
        "more about how the project works.",
    ]),
    ("Three days on the coastal path", [
        "I set off from the harbour early on a bright September morning with a light rucksack, a paper "
        "map and a vague plan to walk about sixty kilometres along the coast in three days. I had booked "
        "two nights in small guesthouses, which meant I did not need to carry a tent or a stove.",
        "The first day was the easiest. The path followed low cliffs above sandy coves, and every hour or "
        "so it dipped down to a beach where families were building sand castles. I ate my lunch on a "
        "bench outside a tiny chapel and watched seals bobbing in the water below.",
        "The second day was much harder. Steep valleys cut through the cliffs, and the path climbed and "
        "fell again and again, sometimes on rough steps cut into the rock. By the afternoon my legs were "
        "aching, but the views across the bay to the distant islands made every climb worthwhile.",
        "On the last morning a sea mist rolled in and I could see only a few metres ahead. It was an "
        "eerie but beautiful end to the walk, with the sound of the waves below and the calls of unseen "
        "gulls. I reached the fishing village at noon, ordered a plate of chips and felt very pleased "
        "with myself.",
    ]),
    ("A simple lentil soup for cold evenings", [
        "This soup is cheap, filling and ready in about forty minutes, which makes it one of my favourite "
        "meals on a cold weekday evening. It needs only a handful of ingredients, most of which you "
        "probably already have in the cupboard.",
        "Start by chopping one onion, two carrots and two sticks of celery into small pieces. Warm a "
        "couple of spoonfuls of olive oil in a large pan and cook the vegetables gently for about ten "
        "minutes, until they are soft but not brown. Add two crushed cloves of garlic and a teaspoon of "
        "ground cumin and stir for another minute.",
        "Rinse two hundred grams of red lentils in a sieve and add them to the pan with a tin of chopped "
        "tomatoes and a litre of vegetable stock. Bring everything to the boil, then turn down the heat "
        "and let it simmer for twenty to twenty-five minutes, stirring now and then so that the lentils "
        "do not stick to the bottom.",
        "When the lentils have broken down, season the soup with salt, pepper and a squeeze of lemon "
        "juice. You can blend it until smooth or leave it chunky. Serve it with crusty bread, and keep "
        "any leftovers in the fridge for up to three days.",
    ]),
    ("What a password manager actually does", [
        "Security experts often advise people to use a password manager, but many users are not sure what "
        "such a program does or whether they can trust it. In simple terms, a password manager is an "
        "encrypted notebook that remembers all your passwords so that you do not have to.",
        "Instead of reusing the same few passwords on dozens of websites, you let the manager create a "
        "long random password for each account. When you visit a login page, it fills in the details "
        "for you. If one website is hacked and its passwords are stolen, the attackers cannot use them "
        "to break into your other accounts.",
        "All the stored passwords are protected by one master password, which is the only one you need to "
        "remember. Good managers encrypt the data on your own device before it is synchronised with other "
        "computers or phones, so that the company running the service cannot read it.",
        "No tool is perfect, and it is important to choose a strong master password and to turn on "
        "two-factor authentication. For most people, however, a password manager is a large improvement "
        "over a list of passwords written on a sticky note next to the screen.",
    ]),
    ("The forgotten women who catalogued the stars", [
        "At the end of the nineteenth century, an observatory in the United States employed a group of "
        "women to examine thousands of glass photographic plates of the night sky. They were paid far "
        "less than male assistants, and for a long time their names were hardly mentioned in the history "
        "of astronomy.",
        "Their work was slow and demanding. Using magnifying glasses, they measured the positions and "
        "brightness of stars and sorted them according to the patterns of dark lines in their spectra. "
        "Over the years they classified hundreds of thousands of stars and built a catalogue that "
        "astronomers still use today.",
        "Some of them made discoveries that changed science. One noticed that certain variable stars "
        "brighten and fade with a period that depends on their true brightness. This simple relationship "
        "later allowed astronomers to measure the distances to other galaxies and to show that the "
        "universe is far larger than anyone had imagined.",
        "Another developed the system of spectral classes that is taught to students all over the world. "
        "In recent decades historians have worked to bring their stories back to light, and several "
        "craters on the Moon now carry their names.",
    ]),
    ("Rowing club celebrates one hundred years on the river", [
        "Riverside Rowing Club marked its centenary on Saturday with a regatta, a parade of boats and a "
        "dinner for current and former members. More than four hundred people gathered on the towpath to "
        "watch races between crews of every age, from nervous juniors to veterans in their eighties.",
        "The club was founded in 1924 by a group of railway workers who bought an old wooden boat and "
        "kept it in a shed behind the station. Today it has more than three hundred members and a modern "
        "boathouse, which was built with the help of a lottery grant a decade ago.",
        "The highlight of the day was a race between two eights, one made up of current members and the "
        "other of former champions who had come back for the occasion. The older crew won by half a "
        "length, to loud cheers from the bank.",
        "The club captain, Dev Sharma, thanked the volunteers who keep the club running. He said that the "
        "club wanted to spend its second century making rowing open to everyone, with free taster "
        "sessions for local schools and adapted boats for people with disabilities.",
    ]),
    ("How the Moon moves the oceans", [
        "Anyone who spends a day at the seaside will notice that the water creeps up the beach and then "
        "slowly retreats. These rhythmic changes in sea level, known as tides, are caused mainly by the "
        "gravitational pull of the Moon.",
        "Gravity weakens with distance, so the Moon pulls more strongly on the side of the Earth that "
        "faces it than on the centre of the planet, and more strongly on the centre than on the far side. "
        "The result is two bulges of water, one pointing towards the Moon and one pointing away from it.",
        "As the Earth turns, most coastlines pass through both bulges every day, which is why many places "
        "have two high tides and two low tides roughly every twenty-four hours and fifty minutes. The "
        "extra fifty minutes come from the movement of the Moon along its orbit.",
        "The Sun also raises tides, although its effect is less than half as strong. When the Sun and "
        "Moon line up at new and full moon, their pulls combine and produce especially large spring "
        "tides. The shape of the coast and the depth of the sea can make the difference between high and "
        "low water tiny in some places and enormous in others.",
    ]),
    ("Notes from a winter market in the old town", [
        "The winter market opens at dusk, when the lamps along the narrow streets are lit and the smell of "
        "roasted chestnuts drifts across the square. I arrived on the first evening, wrapped in two "
        "jumpers, and spent three happy hours wandering between the wooden stalls.",
        "Most of the traders are local. An elderly woman sells thick woollen socks knitted by her and her "
        "sisters, a young couple offers honey from their hives in the hills, and a carpenter shows off "
        "toys carved from beech wood. There are very few of the cheap plastic souvenirs that fill larger "
        "markets elsewhere.",
        "The food is the main attraction. I queued for potato pancakes with apple sauce, tried a slice of "
        "smoked cheese and finished with a cup of spiced apple juice, warm enough to hold in both hands. "
        "Children crowded around a stall where a baker was decorating gingerbread hearts.",
        "On Sunday afternoon a brass band played carols on the steps of the town hall, and people sang "
        "along, some of them rather badly. It was not a grand occasion, but it felt friendly and honest, "
        "and I left with a bag full of presents and a promise to return.",
    ]),
    ("Farmers market returns to Station Square", [
        "The monthly farmers market is returning to Station Square this weekend after a break of almost "
        "two years, during which the square was dug up for new drainage and paving. Twenty-five stalls "
        "are expected on Saturday morning, selling everything from vegetables and cheese to cut flowers "
        "and freshly baked pies.",
        "The market's organiser, Ruth Calloway, said that every trader must grow, rear or make what they "
        "sell, and that all of them come from within about forty miles of the town. Several new stalls "
        "have joined, including a family who grow mushrooms in an old railway tunnel and a young woman "
        "who makes jam from fruit that would otherwise go to waste.",
        "The new paving has more space for stalls and benches, and the council has installed electricity "
        "points so that traders no longer need noisy generators. Cyclists will find extra racks on the "
        "north side of the square.",
        "The market will run from nine until two on the first Saturday of every month. Shoppers are "
        "encouraged to bring their own bags and containers.",
    ]),
]

ARTICLES["de"] = [
    # LONG: near duplicate with a different byline.
    ("Wie ein Dorf seine Grundschule rettete", [
        "Vor drei Jahren sah es so aus, als würde die kleine Grundschule in Oberweiler für immer "
        "schließen. Nur noch vierundzwanzig Kinder besuchten die vier Klassen, und das Schulamt hatte "
        "bereits angekündigt, dass die Schüler künftig mit dem Bus in die Kreisstadt fahren sollten. "
        "Heute sind es fast fünfzig Kinder, und im Herbst wird sogar eine neue Lehrerin eingestellt.",
        "Dass es so weit gekommen ist, liegt vor allem an den Eltern und an vielen anderen Menschen im "
        "Dorf. Als die Nachricht von der drohenden Schließung bekannt wurde, trafen sich mehr als hundert "
        "Einwohner im Gemeindesaal. Viele fürchteten, dass das Dorf ohne Schule auch junge Familien "
        "verlieren würde, und niemand wollte sich damit abfinden.",
        "Ein Verein wurde gegründet, der sich um die Zukunft der Schule kümmern sollte. Die Mitglieder "
        "renovierten in ihrer Freizeit zwei Klassenzimmer, legten einen Schulgarten an und richteten eine "
        "kleine Bibliothek ein. Ein pensionierter Schreiner baute neue Regale, und eine Bäckerei aus dem "
        "Nachbarort spendete jeden Freitag Brötchen für das gemeinsame Frühstück.",
        "Gleichzeitig warb die Gemeinde gezielt um junge Familien. Sie bot günstige Bauplätze am Ortsrand "
        "an, ließ schnelles Internet verlegen und unterstützte die Eröffnung eines kleinen Ladens mit "
        "Café, in dem sich Eltern nach dem Unterricht treffen können. Mehrere Familien aus der Stadt, die "
        "sich in der Pandemie nach mehr Platz und Ruhe gesehnt hatten, zogen tatsächlich nach Oberweiler. "
        "Inzwischen gibt es im Dorf sogar eine Warteliste für Mietwohnungen, was vor wenigen Jahren noch "
        "völlig undenkbar gewesen wäre.",
        "Auch pädagogisch hat sich einiges verändert. Die Kinder lernen in altersgemischten Gruppen, in "
        "denen die älteren den jüngeren beim Lesen helfen. Einmal in der Woche findet der Unterricht im "
        "Wald statt, und Handwerker aus dem Dorf zeigen den Schülern, wie man einen Zaun baut oder Honig "
        "schleudert. Die Schulleiterin Katrin Albers sagt, dass die Kinder dadurch viel selbstständiger "
        "geworden seien.",
        "Das Schulamt hat seine Pläne inzwischen aufgegeben und lobt das Engagement der Einwohner. Ganz "
        "sicher ist die Zukunft der Schule trotzdem nicht, denn die Zahl der Geburten in der Region sinkt "
        "weiter. Der Verein will deshalb nicht nachlassen und plant bereits das nächste Projekt, einen "
        "Spielplatz, der auch am Wochenende für alle offen sein soll.",
        "Text: Jana Vogt; Fotos: Malte Brandt.",
    ]),
    ("Neue Radwege für die Innenstadt", [
        "Die Stadt will in den kommenden zwei Jahren rund sechs Kilometer neue Radwege in der Innenstadt "
        "bauen. Der Stadtrat hat am Donnerstag mit großer Mehrheit einem entsprechenden Plan zugestimmt, "
        "der vor allem die Verbindungen zwischen dem Bahnhof, der Universität und den Wohngebieten im "
        "Norden verbessern soll.",
        "Auf mehreren Hauptstraßen wird dafür jeweils eine Fahrspur für Autos wegfallen. Stattdessen "
        "entstehen breite, baulich getrennte Radwege, auf denen auch Lastenräder bequem überholen können. "
        "An großen Kreuzungen sollen eigene Ampeln für Radfahrer sicherere Übergänge schaffen.",
        "Der Einzelhandelsverband hatte zunächst befürchtet, dass weniger Kunden in die Innenstadt kommen "
        "würden. Die Stadtverwaltung verweist jedoch auf Erfahrungen aus anderen Städten, in denen die "
        "Umsätze nach dem Ausbau der Radwege sogar gestiegen seien. Außerdem bleiben die Parkhäuser am "
        "Rand der Altstadt weiterhin gut erreichbar.",
        "Die Bauarbeiten sollen im Frühjahr beginnen. Die Stadt verspricht, die Anwohner rechtzeitig über "
        "Umleitungen zu informieren und die Arbeiten in den Sommerferien zu bündeln.",
    ]),
    ("Kartoffelsuppe wie bei Oma", [
        "Eine gute Kartoffelsuppe braucht keine ausgefallenen Zutaten, sondern vor allem ein wenig Zeit. "
        "Dieses Rezept reicht für vier Personen und schmeckt am nächsten Tag oft noch besser als frisch "
        "gekocht.",
        "Zuerst schält man etwa ein Kilogramm mehligkochende Kartoffeln und schneidet sie in Würfel. Dazu "
        "kommen zwei Möhren, ein Stück Knollensellerie und eine Stange Lauch, die ebenfalls klein "
        "geschnitten werden. In einem großen Topf brät man eine gewürfelte Zwiebel in etwas Butter an, "
        "bis sie glasig ist.",
        "Dann gibt man das Gemüse dazu, gießt etwa eineinhalb Liter Gemüsebrühe an und lässt alles "
        "ungefähr zwanzig Minuten köcheln. Ein Lorbeerblatt und ein paar Zweige Majoran sorgen für den "
        "typischen Geschmack. Wenn die Kartoffeln weich sind, nimmt man das Lorbeerblatt heraus und "
        "zerdrückt einen Teil der Kartoffeln mit dem Stampfer, damit die Suppe schön sämig wird.",
        "Zum Schluss wird mit Salz, Pfeffer und einer Prise Muskat abgeschmeckt. Wer mag, gibt noch "
        "Scheiben von Wiener Würstchen hinein oder streut frische Petersilie darüber. Dazu passt ein "
        "kräftiges Bauernbrot.",
    ]),
    ("Warum Honigbienen tanzen", [
        "Wenn eine Honigbiene eine ergiebige Futterquelle entdeckt hat, kehrt sie in den Stock zurück und "
        "beginnt auf den Waben einen merkwürdigen Tanz. Lange wussten Forscher nicht, was diese "
        "Bewegungen bedeuten. Heute ist klar, dass die Biene ihren Schwestern damit den Weg zu den Blüten "
        "beschreibt.",
        "Liegt die Futterquelle nahe am Stock, läuft die Biene einfach im Kreis. Ist sie weiter entfernt, "
        "führt sie einen sogenannten Schwänzeltanz auf. Dabei läuft sie ein Stück geradeaus, wackelt "
        "kräftig mit dem Hinterleib und kehrt dann in einem Bogen zum Ausgangspunkt zurück.",
        "Die Richtung des geraden Laufs zeigt den Winkel zwischen der Sonne und der Futterquelle an. Die "
        "Dauer des Schwänzelns verrät, wie weit die Bienen fliegen müssen. Die anderen Arbeiterinnen "
        "folgen der Tänzerin dicht und nehmen dabei auch den Duft der Blüten auf, den sie an ihrem "
        "Körper trägt.",
        "Diese Form der Verständigung gehört zu den erstaunlichsten im Tierreich. Für ihre Entschlüsselung "
        "erhielt ein österreichischer Forscher im Jahr 1973 den Nobelpreis für Medizin.",
    ]),
    ("Die Hanse: ein Netzwerk von Kaufleuten", [
        "Im Mittelalter schlossen sich Kaufleute aus vielen Städten an Nord- und Ostsee zu einem lockeren "
        "Bund zusammen, der später als Hanse bekannt wurde. Sie wollten ihre Waren sicherer transportieren "
        "und in fremden Häfen gemeinsame Rechte durchsetzen.",
        "Auf ihren bauchigen Schiffen, den Koggen, brachten die Hansekaufleute Getreide, Holz, Pelze und "
        "Wachs aus dem Osten in den Westen. In die andere Richtung transportierten sie Tuch, Wein und "
        "Salz. Besonders wichtig war der Handel mit Hering, der in der Fastenzeit in ganz Europa gefragt "
        "war.",
        "Die Hanse hatte kein gemeinsames Heer und keine Regierung im heutigen Sinne. Dennoch war sie so "
        "mächtig, dass sie Handelsblockaden verhängen und sogar Kriege gegen Könige führen konnte. In "
        "großen Handelsstädten wie London, Bergen und Nowgorod unterhielt sie eigene Niederlassungen, die "
        "Kontore genannt wurden.",
        "Mit dem Aufstieg starker Territorialstaaten und der Entdeckung neuer Seewege verlor die Hanse an "
        "Bedeutung. Ihre Spuren sind aber bis heute sichtbar, etwa in den Backsteinkirchen und prächtigen "
        "Rathäusern vieler Hansestädte.",
    ]),
    ("Handball: Aufstieg in letzter Sekunde", [
        "Mit einem Treffer in der letzten Sekunde haben die Handballer des TV Lindenau den Aufstieg in die "
        "Oberliga geschafft. Vor rund neunhundert Zuschauern gewann die Mannschaft am Samstagabend das "
        "entscheidende Spiel gegen den SC Hafenstadt mit achtundzwanzig zu siebenundzwanzig.",
        "Die Gäste hatten lange geführt und lagen zehn Minuten vor dem Ende noch mit drei Toren vorn. Dann "
        "stellte Trainer Stefan Kuhn auf eine offensive Deckung um, und die Lindenauer holten Tor um Tor "
        "auf. Als die Halle beim Ausgleich förmlich bebte, hatte der Gegner noch den letzten Angriff.",
        "Doch Torhüter Lukas Brenner hielt einen Wurf von der Außenposition, und sein weiter Pass fand "
        "Rückraumspieler Can Yilmaz, der den Ball mit der Schlusssirene ins Netz warf. Danach stürmten "
        "die Fans das Spielfeld.",
        "Kuhn sprach nach dem Spiel von einem unvergesslichen Abend. Nun will der Verein in Ruhe planen, "
        "denn in der Oberliga werden höhere Anforderungen an die Halle und die Nachwuchsarbeit gestellt.",
    ]),
    ("Unterwegs im Elbsandsteingebirge", [
        "Wer zum ersten Mal durch das Elbsandsteingebirge wandert, kommt aus dem Staunen kaum heraus. "
        "Bizarre Felstürme ragen aus dichten Wäldern, schmale Schluchten öffnen sich plötzlich zu weiten "
        "Ausblicken über das Tal der Elbe.",
        "Wir starteten unsere Tour in einem kleinen Kurort am Fluss und stiegen über steile Stufen zu einer "
        "berühmten Felsbrücke hinauf. Am frühen Morgen waren kaum Menschen unterwegs, und der Nebel lag "
        "noch wie Watte über dem Wasser. Später am Tag füllten sich die Aussichtspunkte allerdings mit "
        "Reisegruppen.",
        "Am zweiten Tag folgten wir einem weniger bekannten Pfad durch einen engen Grund, in dem Moos und "
        "Farne wuchsen. An einigen Stellen mussten wir über Leitern und Eisenklammern klettern, was mit "
        "Rucksack durchaus anstrengend war. Dafür begegneten wir stundenlang nur einer Handvoll anderer "
        "Wanderer.",
        "Übernachtet haben wir in einer einfachen Pension, deren Wirtin uns abends Quarkkeulchen mit "
        "Apfelmus servierte. Wer die Gegend besuchen möchte, sollte gutes Schuhwerk mitbringen und die "
        "Hauptsaison im Sommer meiden.",
    ]),
]

ARTICLES["fr"] = [
    # LONG: near duplicate with a changed word and a corrected figure.
    ("La renaissance des vergers anciens en Normandie", [
        "Dans les collines du pays d'Auge, des dizaines de bénévoles ont passé l'hiver à planter de "
        "jeunes pommiers dans des prairies où les vieux vergers avaient disparu depuis longtemps. "
        "L'association qui les coordonne espère ainsi sauver des variétés anciennes que l'on ne trouve "
        "presque plus dans les jardins ni sur les marchés.",
        "Pendant des siècles, chaque ferme de la région possédait son verger de hautes tiges, ces grands "
        "arbres sous lesquels les vaches venaient paître. Les pommes servaient à fabriquer le cidre et le "
        "calvados, et les poires donnaient le poiré. Après la guerre, beaucoup de ces vergers ont été "
        "arrachés pour laisser la place aux cultures ou à des plantations plus faciles à entretenir.",
        "Aujourd'hui, les membres de l'association parcourent les campagnes à la recherche des derniers "
        "arbres centenaires. Ils prélèvent des greffons sur ces survivants, puis les greffent sur de "
        "jeunes porte-greffes dans une pépinière installée près de Lisieux. Plus de cent trente variétés "
        "ont déjà été identifiées, certaines connues seulement dans un ou deux villages.",
        "Les agriculteurs qui accueillent les nouveaux vergers reçoivent les arbres gratuitement, à "
        "condition de les entretenir et de ne pas utiliser de pesticides. En échange, ils pourront "
        "récolter les fruits et profiter de l'ombre pour leurs animaux. Plusieurs d'entre eux ont "
        "expliqué que les haies et les vieux arbres abritent aussi des oiseaux et des insectes utiles.",
        "Le projet séduit également les habitants des villes voisines. Chaque automne, une grande fête "
        "de la pomme attire des milliers de visiteurs, qui viennent goûter des jus, apprendre à greffer "
        "ou faire identifier les fruits de leur propre jardin par des spécialistes. Les enfants des "
        "écoles participent à la plantation et suivent ensuite la croissance de leur arbre.",
        "Il faudra pourtant de la patience. Un pommier de haute tige ne donne ses premières vraies "
        "récoltes qu'au bout de huit à dix ans, et il peut vivre plus d'un siècle. Les bénévoles le "
        "savent bien et répètent volontiers qu'ils plantent pour leurs petits-enfants. Pour eux, "
        "chaque arbre est une promesse faite aux générations futures et une manière de garder vivant "
        "un paysage qui a façonné l'identité de toute la région.",
    ]),
    ("Le marché couvert rouvre ses portes", [
        "Après dix-huit mois de travaux, le marché couvert de la place Saint-Martin a rouvert ses portes "
        "samedi matin. Dès huit heures, une longue file de clients attendait devant l'entrée, impatiente "
        "de découvrir la halle rénovée.",
        "La charpente métallique du dix-neuvième siècle a été entièrement restaurée, et de grandes "
        "verrières laissent désormais entrer la lumière du jour. Les commerçants disposent de stands plus "
        "spacieux, équipés de vitrines réfrigérées modernes, ce qui leur permet de mieux présenter les "
        "produits frais.",
        "On y trouve une trentaine d'étals : des maraîchers de la vallée, deux fromagers, un poissonnier, "
        "plusieurs bouchers et un boulanger qui cuit son pain au feu de bois. Un petit espace de "
        "restauration permet aussi de déguster des huîtres ou une soupe du jour au comptoir.",
        "Le maire s'est félicité de cette réouverture, qui doit redonner vie au centre-ville. Le marché "
        "sera ouvert du mardi au dimanche, de sept heures à treize heures, et jusqu'à dix-neuf heures le "
        "vendredi.",
    ]),
    ("La véritable soupe à l'oignon", [
        "La soupe à l'oignon gratinée est un plat modeste qui demande surtout de la patience. Le secret "
        "tient en un mot : la cuisson lente des oignons, qui doivent caraméliser doucement jusqu’à prendre "
        "une belle couleur brune.",
        "Pour quatre personnes, émincez finement un kilo d'oignons jaunes. Faites fondre une grosse noix "
        "de beurre dans une cocotte et laissez cuire les oignons à feu doux pendant au moins quarante "
        "minutes, en remuant souvent. Ajoutez une cuillerée de farine, puis un verre de vin blanc sec.",
        "Versez ensuite un litre et demi de bouillon de bœuf bien chaud, salez, poivrez et laissez "
        "mijoter une vingtaine de minutes. Pendant ce temps, faites griller des tranches de pain de "
        "campagne et râpez une bonne quantité de comté.",
        "Répartissez la soupe dans des bols allant au four, posez le pain sur le dessus et couvrez "
        "généreusement de fromage. Passez les bols sous le gril jusqu’à ce que le fromage soit doré et "
        "bouillonnant. On la servait autrefois aux ouvriers des Halles à l'aube, après une longue nuit de "
        "travail.",
    ]),
    ("Comment les oiseaux migrateurs trouvent leur chemin", [
        "Chaque automne, des milliards d'oiseaux quittent l'Europe pour passer l'hiver en Afrique, puis "
        "reviennent au printemps, souvent dans le même jardin ou sous le même toit. Comment parviennent-ils "
        "à s'orienter sur des milliers de kilomètres ?",
        "Les chercheurs ont montré qu'ils utilisent plusieurs boussoles à la fois. Pendant la journée, les "
        "oiseaux se repèrent grâce à la position du soleil, en tenant compte de l'heure grâce à leur "
        "horloge interne. La nuit, beaucoup d'espèces s'orientent à l'aide des étoiles qui tournent "
        "autour du pôle céleste.",
        "Ils perçoivent aussi le champ magnétique terrestre. Selon une hypothèse étudiée depuis une "
        "vingtaine d'années, des molécules sensibles à la lumière situées dans leurs yeux réagiraient au "
        "magnétisme, ce qui permettrait aux oiseaux de le voir d'une certaine manière.",
        "Enfin, les paysages, les côtes, les fleuves et même les odeurs jouent un rôle lorsqu'ils "
        "approchent de leur destination. Les jeunes oiseaux qui migrent pour la première fois suivent "
        "souvent une direction innée, tandis que les adultes corrigent leur route grâce à l'expérience.",
    ]),
    ("Une brève histoire du canal du Midi", [
        "Le canal du Midi relie Toulouse à la mer Méditerranée sur environ deux cent quarante kilomètres. "
        "Construit à la fin du dix-septième siècle, il fut l'un des plus grands chantiers de son époque "
        "et reste aujourd'hui un chef-d'œuvre du génie civil.",
        "Son créateur, Pierre-Paul Riquet, était un collecteur d'impôts passionné par l'hydraulique. Le "
        "problème principal était d'alimenter le canal en eau à son point le plus haut. Riquet imagina "
        "un système ingénieux de rigoles et un grand réservoir dans la Montagne Noire pour capter l'eau "
        "des ruisseaux.",
        "Plus de douze mille ouvriers, dont de nombreuses femmes, travaillèrent sur le chantier pendant "
        "quatorze ans. Riquet investit une grande partie de sa fortune dans le projet et mourut quelques "
        "mois avant l'inauguration, en 1681.",
        "Le canal a longtemps servi au transport du blé et du vin. Aujourd'hui, il est surtout fréquenté "
        "par des bateaux de plaisance et des cyclistes qui longent ses berges bordées de platanes. Il est "
        "inscrit au patrimoine mondial de l'Unesco depuis 1996.",
    ]),
    ("Le club de rugby remporte le derby", [
        "Les rugbymen de l'Union sportive de Valbonne ont remporté dimanche le derby face à leurs voisins "
        "de Saint-Cyprien, sur le score de vingt-trois à dix-sept. Le stade municipal affichait complet "
        "pour ce match très attendu de toute la vallée.",
        "La rencontre a commencé sur un rythme élevé. Saint-Cyprien a ouvert le score par un essai après "
        "une belle percée de son centre, mais Valbonne a répondu grâce à la précision de son buteur, "
        "auteur de quatre pénalités en première période.",
        "En seconde mi-temps, la mêlée de Valbonne a pris le dessus. À dix minutes de la fin, le "
        "talonneur a aplati en force derrière un ballon porté, donnant à son équipe une avance décisive. "
        "Les visiteurs ont poussé jusqu'au bout, sans parvenir à marquer l'essai de la victoire.",
        "L'entraîneur a salué le courage de ses joueurs et la ferveur du public. Grâce à cette victoire, "
        "le club remonte à la deuxième place du classement avant la trêve.",
    ]),
    ("Pourquoi les mots de passe ne suffisent plus", [
        "Pendant des années, un simple mot de passe suffisait à protéger la plupart de nos comptes en "
        "ligne. Ce n'est plus le cas. Les fuites de données se multiplient, et des millions d'identifiants "
        "volés circulent sur internet, souvent revendus pour quelques euros.",
        "Le problème vient en partie de nos habitudes. Beaucoup d'utilisateurs choisissent des mots de "
        "passe courts et faciles à deviner, ou réutilisent le même sur plusieurs sites. Si l'un de ces "
        "sites est piraté, les pirates essaient aussitôt la même combinaison sur des messageries, des "
        "réseaux sociaux ou des banques.",
        "L'authentification à deux facteurs ajoute une barrière supplémentaire : en plus du mot de passe, "
        "il faut saisir un code reçu sur son téléphone ou généré par une application. Même si le mot de "
        "passe est volé, le compte reste protégé.",
        "Les entreprises du secteur développent aussi les clés d'accès, qui remplacent le mot de passe par "
        "une clé cryptographique stockée sur l'appareil. Elles sont plus simples à utiliser et résistent "
        "mieux au hameçonnage, mais leur adoption prendra encore du temps.",
    ]),
]

ARTICLES["es"] = [
    ("La biblioteca municipal amplía su horario", [
        "La biblioteca municipal abrirá también los domingos por la mañana a partir del próximo mes, según "
        "anunció ayer el Ayuntamiento. Además, el horario de los sábados se alargará hasta las ocho de la "
        "tarde para facilitar el acceso a quienes trabajan durante la semana.",
        "La medida responde a una encuesta realizada el otoño pasado, en la que participaron más de mil "
        "vecinos. La mayoría pidió más horas de apertura y más espacios para estudiar, sobre todo en "
        "época de exámenes, cuando las salas de lectura suelen llenarse por completo.",
        "Para cubrir el nuevo horario se contratarán tres personas a tiempo parcial. La directora del "
        "centro explicó que los domingos se organizarán cuentacuentos para niños y talleres de "
        "informática para personas mayores, que aprenden a hacer trámites en línea y a usar el correo "
        "electrónico.",
        "La biblioteca ha ganado muchos usuarios desde su reforma, que incluyó una sala de música, un "
        "rincón de cómics y un pequeño jardín interior donde se puede leer al aire libre cuando hace buen "
        "tiempo.",
    ]),
    ("Cómo preparar una buena tortilla de patatas", [
        "Pocas recetas generan tantas discusiones en España como la tortilla de patatas. Hay quien la "
        "prefiere con cebolla y quien la considera una traición, quien la quiere jugosa por dentro y quien "
        "la cuaja por completo. Esta versión, con cebolla y poco hecha, es la que se prepara en muchas "
        "casas.",
        "Para cuatro personas se necesitan unas cinco patatas medianas, una cebolla, seis huevos grandes, "
        "sal y abundante aceite de oliva. Se pelan las patatas, se cortan en láminas finas y se fríen a "
        "fuego medio junto con la cebolla picada, sin que lleguen a dorarse, durante unos veinte minutos.",
        "Mientras tanto, se baten los huevos en un cuenco grande con una pizca de sal. Cuando las patatas "
        "estén tiernas, se escurren bien del aceite y se mezclan con el huevo batido. Conviene dejar "
        "reposar la mezcla unos minutos para que las patatas absorban el huevo.",
        "Después se vierte todo en una sartén con un poco de aceite caliente y se cuaja a fuego medio. "
        "Con ayuda de un plato se le da la vuelta y se deja un minuto más por el otro lado. Se sirve "
        "templada, sola o con pan.",
    ]),
    ("Los volcanes que formaron las islas Canarias", [
        "Las islas Canarias nacieron del fondo del océano gracias a millones de años de erupciones "
        "volcánicas. Cada isla es en realidad la cima de un enorme volcán, o de varios, que se eleva "
        "desde miles de metros de profundidad.",
        "Las islas más orientales, como Fuerteventura y Lanzarote, son las más antiguas, mientras que El "
        "Hierro y La Palma son las más jóvenes. Los geólogos creen que el archipiélago se formó sobre un "
        "punto caliente del manto terrestre, aunque el origen exacto sigue siendo objeto de debate.",
        "La actividad volcánica no ha terminado. En 2021, una erupción en La Palma duró casi tres meses, "
        "cubrió de lava cientos de hectáreas y destruyó miles de edificios. Por suerte no hubo víctimas "
        "directas, gracias a la rápida evacuación de los vecinos.",
        "Hoy, los paisajes volcánicos son uno de los grandes atractivos de las islas. Los visitantes "
        "recorren campos de lava, conos de ceniza y cuevas formadas por antiguos ríos de roca fundida, "
        "y el Teide, en Tenerife, es la montaña más alta de España.",
    ]),
    ("Un paseo por el casco antiguo de Toledo", [
        "Toledo se descubre mejor a pie y sin prisa. La ciudad se levanta sobre una colina rodeada casi por "
        "completo por el río Tajo, y sus calles estrechas y empinadas forman un laberinto en el que es "
        "fácil perderse, lo cual forma parte del encanto.",
        "Empezamos el recorrido en la plaza de Zocodover, el antiguo centro de la vida comercial, y desde "
        "allí subimos hacia la catedral. Su interior, con las vidrieras y el enorme retablo dorado, nos "
        "dejó sin palabras durante un buen rato.",
        "Por la tarde caminamos hacia el barrio judío, donde se conservan dos sinagogas medievales. El "
        "silencio de sus patios contrasta con el bullicio de las tiendas de espadas y mazapán que llenan "
        "las calles cercanas. Merece la pena probar el mazapán, aunque sea muy dulce.",
        "Al atardecer cruzamos el puente de San Martín y subimos al mirador del otro lado del río. Desde "
        "allí, con la ciudad iluminada por el sol poniente, entendimos por qué tantos pintores la han "
        "retratado a lo largo de los siglos.",
    ]),
    ("El equipo juvenil de baloncesto gana el torneo regional", [
        "El equipo juvenil del Club Baloncesto Ribera se proclamó el domingo campeón del torneo regional "
        "tras vencer en la final al Atlético Norte por setenta y dos a sesenta y ocho. El pabellón "
        "municipal se llenó de familias y aficionados para apoyar a los jugadores.",
        "El partido fue muy igualado desde el principio. Los visitantes dominaron el rebote en la primera "
        "mitad y llegaron al descanso con cinco puntos de ventaja. Sin embargo, una defensa más intensa en "
        "el tercer cuarto permitió a los locales darle la vuelta al marcador.",
        "El base del equipo, Hugo Martín, fue elegido mejor jugador del torneo después de anotar "
        "veintidós puntos en la final. Con el título, el equipo se clasifica para el campeonato nacional, "
        "que se disputará en verano.",
        "El entrenador destacó el trabajo de todo el grupo durante la temporada y dio las gracias a los "
        "padres, que organizaron los viajes y la venta de bocadillos para financiar los desplazamientos.",
    ]),
    # Encoded as ISO-8859-1, declared only in <meta charset>: no characters outside Latin-1.
    ("La historia del chocolate", [
        "Mucho antes de llegar a Europa, el cacao era un alimento sagrado para los pueblos de Mesoamérica. "
        "Los mayas y los aztecas preparaban con sus semillas una bebida amarga y espumosa, a menudo "
        "mezclada con chile y otras especias, que se tomaba en ceremonias y banquetes.",
        "Las semillas de cacao eran tan valiosas que se usaban incluso como moneda. Con unas pocas se "
        "podía comprar fruta o verdura en el mercado, y con un centenar, un pavo. Los comerciantes las "
        "transportaban a lo largo de grandes distancias.",
        "Los españoles conocieron el cacao en el siglo XVI y lo llevaron a la península. Allí empezaron a "
        "endulzar la bebida con azúcar y a aromatizarla con canela y vainilla. Durante mucho tiempo fue un "
        "lujo reservado a la nobleza y al clero, y se servía caliente en tazas de porcelana.",
        "El chocolate sólido, tal como lo conocemos hoy, no apareció hasta el siglo XIX, cuando nuevas "
        "máquinas permitieron separar la manteca de cacao y mezclarla de nuevo en tabletas. Desde "
        "entonces se ha convertido en uno de los dulces más populares del mundo.",
    ]),
    ("La inteligencia artificial llega al campo", [
        "Cada vez más agricultores utilizan herramientas de inteligencia artificial para tomar decisiones "
        "sobre sus cultivos. Sensores en el suelo, imágenes de satélite y drones recogen datos que luego "
        "analizan programas capaces de detectar problemas antes de que sean visibles a simple vista.",
        "En una cooperativa de olivareros del sur, por ejemplo, un sistema calcula cuánta agua necesita "
        "cada parcela según la humedad del suelo y la previsión del tiempo. Los socios aseguran que han "
        "reducido el consumo de agua en casi un veinte por ciento sin perder producción.",
        "Otros programas identifican plagas a partir de fotografías tomadas con el móvil, o predicen el "
        "mejor momento para la cosecha. Los defensores de estas tecnologías creen que ayudarán a producir "
        "más con menos recursos en un contexto de sequías cada vez más frecuentes.",
        "Sin embargo, no todos pueden permitírselo. Las pequeñas explotaciones temen quedarse atrás por el "
        "coste de los equipos, y algunos expertos advierten de que los datos de los agricultores deben "
        "estar protegidos y no acabar en manos de unas pocas empresas.",
    ]),
]

ARTICLES["ru"] = [
    ("Как приготовить настоящий борщ", [
        "Борщ часто называют визитной карточкой восточнославянской кухни, и почти в каждой семье есть "
        "свой рецепт, который передаётся от бабушек к внукам. Хозяйки спорят о том, нужно ли добавлять "
        "фасоль, чернослив или сладкий перец, но основа у всех примерно одна и та же.",
        "Сначала варят бульон из говядины на косточке. Это занимает около полутора часов, и всё это время "
        "нужно снимать пену, чтобы бульон получился прозрачным. Тем временем свёклу нарезают соломкой и "
        "тушат на сковороде с небольшим количеством уксуса и сахара, чтобы она сохранила яркий цвет.",
        "Отдельно обжаривают лук и морковь, а затем добавляют к ним томатную пасту. Когда бульон готов, в "
        "кастрюлю кладут нарезанный кубиками картофель, через десять минут добавляют капусту, а потом "
        "свёклу и овощную зажарку. В самом конце борщ приправляют солью, перцем, лавровым листом и "
        "измельчённым чесноком.",
        "Готовому супу обязательно дают настояться хотя бы полчаса, а лучше до следующего дня. Подают борщ "
        "горячим, со сметаной, свежей зеленью и ломтиком чёрного хлеба. Многие уверены, что на второй день "
        "он становится ещё вкуснее.",
    ]),
    ("Почему небо голубое", [
        "Этот вопрос рано или поздно задаёт каждый ребёнок, и далеко не каждый взрослый может на него "
        "ответить. Между тем объяснение связано с тем, как солнечный свет взаимодействует с воздухом, "
        "окружающим нашу планету.",
        "Солнечный свет только кажется белым. На самом деле он состоит из всех цветов радуги, от красного "
        "до фиолетового, и у каждого цвета своя длина волны. Когда свет проходит через атмосферу, он "
        "сталкивается с молекулами азота и кислорода, которые рассеивают его в разные стороны.",
        "Короткие волны, синие и фиолетовые, рассеиваются гораздо сильнее, чем длинные красные. Поэтому, "
        "куда бы мы ни посмотрели, в наши глаза попадает много рассеянного синего света, и небо кажется "
        "голубым. Фиолетового света в солнечном излучении меньше, а наши глаза к нему менее чувствительны.",
        "На закате солнце стоит низко, и его лучам приходится проходить через гораздо более толстый слой "
        "воздуха. По дороге почти весь синий свет рассеивается, и до нас доходят в основном красные и "
        "оранжевые лучи. Именно поэтому вечернее небо бывает таким тёплым и ярким.",
    ]),
    ("Путешествие по Золотому кольцу", [
        "Золотое кольцо объединяет несколько старинных городов к северо-востоку от Москвы, и прогулка по "
        "ним похожа на путешествие во времени. Мы провели в дороге неделю и успели увидеть лишь часть "
        "того, что хотели.",
        "Первой остановкой стал Сергиев Посад с его знаменитым монастырём, белыми стенами и голубыми "
        "куполами, усыпанными золотыми звёздами. Несмотря на толпы туристов, внутри монастырских стен "
        "царила удивительная тишина, которую нарушал только звон колоколов.",
        "Больше всего нам понравился Суздаль, маленький город, где почти нет современных зданий. По "
        "вечерам мы гуляли вдоль реки среди деревянных домов и церквей, пробовали местную медовуху и "
        "солёные огурцы, которые продают прямо на улице. В одном из музеев можно увидеть, как жили "
        "крестьяне несколько столетий назад.",
        "Заканчивали поездку мы в Ярославле, на берегу Волги. Там стоит заглянуть в старинные храмы с "
        "яркими фресками и пройтись по широкой набережной. Путешествовать по кольцу удобнее всего на "
        "машине, но многие города доступны и на электричке.",
        "Лучшее время для такой поездки — конец весны или начало осени, когда погода уже тёплая, а толп "
        "туристов ещё немного. Гостиницы в небольших городах недорогие, а хозяева часто рады рассказать "
        "гостям о местных обычаях.",
    ]),
    ("История Транссибирской магистрали", [
        "Транссибирская магистраль, соединяющая Москву с Владивостоком, по праву считается самой длинной "
        "железной дорогой в мире. Её протяжённость превышает девять тысяч километров, а поезд проходит "
        "через семь часовых поясов.",
        "Строительство началось в 1891 году и продолжалось больше десяти лет. Рабочим приходилось "
        "прокладывать путь через тайгу, болота и вечную мерзлоту, строить мосты через огромные сибирские "
        "реки. Особенно трудным оказался участок вокруг озера Байкал, где пришлось пробить десятки "
        "тоннелей в скалах.",
        "До завершения этого участка поезда переправляли через Байкал на специальном ледоколе-пароме, а "
        "зимой рельсы иногда укладывали прямо на лёд. Новая дорога сыграла огромную роль в освоении "
        "Сибири и Дальнего Востока: по ней ехали переселенцы, перевозили зерно, лес и уголь.",
        "Сегодня магистраль остаётся важнейшей транспортной артерией страны. Для многих путешественников "
        "поездка по ней стала мечтой: неделя в поезде, бесконечные леса за окном, разговоры с попутчиками "
        "и чай в подстаканниках.",
        "Билеты на самые популярные поезда стоит покупать заранее, особенно летом. Опытные пассажиры "
        "советуют взять с собой книгу, удобную одежду и немного еды, хотя на больших станциях всегда можно "
        "купить пирожки и горячую картошку у местных жителей.",
    ]),
    ("Городской парк открылся после реконструкции", [
        "В субботу после двухлетней реконструкции снова открылся Центральный парк. На праздник пришли "
        "тысячи горожан, которые с интересом осматривали новые дорожки, детские площадки и обновлённый "
        "пруд с деревянными мостиками.",
        "Во время работ в парке высадили более пятисот деревьев и кустарников, отремонтировали старую "
        "летнюю эстраду и установили современное освещение. Вдоль главной аллеи появились удобные "
        "скамейки, а для велосипедистов проложили отдельную дорожку, чтобы они не мешали пешеходам.",
        "Особой популярностью в первый же день пользовалась большая детская площадка с канатными "
        "горками и песочницей. Для подростков построили скейт-площадку, а для пожилых людей оборудовали "
        "зону с тренажёрами и шахматными столами под навесом.",
        "По словам директора парка, летом здесь будут проходить бесплатные концерты и занятия йогой. "
        "Горожане также могут записаться в группу волонтёров, которые помогают ухаживать за клумбами "
        "и следить за чистотой на территории.",
        "Жители соседних домов говорят, что давно ждали этого дня. Раньше парк был тёмным и заброшенным, а "
        "теперь по вечерам здесь гуляют семьи с детьми, бегают спортсмены и играют уличные музыканты. "
        "Городские власти обещают, что в следующем году обновят и соседний сквер.",
    ]),
    ("Юношеская хоккейная команда выиграла турнир", [
        "Юношеская хоккейная команда нашего города стала победителем областного турнира, обыграв в финале "
        "сверстников из соседнего района со счётом четыре на три. Решающая шайба была заброшена в "
        "овертайме, и трибуны ледового дворца буквально взорвались от восторга.",
        "Матч складывался непросто. Соперники быстро повели в счёте и после второго периода выигрывали с "
        "разницей в две шайбы. Однако в третьем периоде наши ребята прибавили в скорости и сумели "
        "сравнять счёт за несколько минут до сирены.",
        "В дополнительное время всё решила быстрая контратака. Нападающий Артём Соколов обошёл защитника "
        "и точным броском под перекладину принёс команде победу. Лучшим вратарём турнира был признан "
        "голкипер нашей команды Илья Морозов.",
        "Тренер поблагодарил родителей и болельщиков за поддержку и отметил, что успех стал результатом "
        "упорной работы в течение всего сезона. Теперь команда будет готовиться к межрегиональным "
        "соревнованиям, которые пройдут весной.",
        "Многие игроки занимаются хоккеем с пяти или шести лет, и для них эта победа стала первым "
        "серьёзным успехом. Руководство спортивной школы надеется, что после турнира в секцию придёт ещё "
        "больше мальчишек и девчонок, и уже объявило дополнительный набор.",
    ]),
    ("Как работает электромобиль", [
        "Электромобили становятся всё более привычными на улицах городов, но многие водители до сих пор "
        "плохо представляют, чем они отличаются от обычных машин. На самом деле устройство электромобиля "
        "во многом даже проще, чем устройство автомобиля с двигателем внутреннего сгорания.",
        "Главная часть электромобиля — большая аккумуляторная батарея, которая обычно располагается под "
        "полом салона. Она питает электродвигатель, вращающий колёса. В таком двигателе гораздо меньше "
        "движущихся деталей, чем в бензиновом, поэтому ему не нужны замена масла, свечи и сложная коробка "
        "передач.",
        "При торможении электромотор может работать как генератор и возвращать часть энергии обратно в "
        "батарею. Это особенно полезно в городе, где машина постоянно разгоняется и останавливается.",
        "Главными недостатками электромобилей пока остаются высокая цена, ограниченный запас хода и "
        "нехватка зарядных станций за пределами больших городов. Кроме того, в сильный мороз ёмкость "
        "батареи заметно снижается, что особенно важно для северных регионов.",
        "Тем не менее инженеры постоянно совершенствуют батареи, а цены на них постепенно снижаются. "
        "Многие эксперты считают, что уже через несколько лет электромобиль станет для большинства "
        "покупателей таким же обычным выбором, как сегодня машина с бензиновым двигателем.",
    ]),
]

ARTICLES["zh"] = [
    ("家常番茄炒蛋的做法", [
        "番茄炒蛋大概是很多人学会的第一道菜。它做法简单，用料便宜，酸甜可口，配上一碗白米饭就是一顿让人满足的晚餐。"
        "不过，想把这道看似普通的菜做好，也有一些小窍门。",
        "首先要选熟透的番茄，颜色越红，汁水越多，炒出来的味道就越浓。把番茄洗净后切成小块，如果不喜欢番茄皮，"
        "可以先在顶部划一个十字，用开水烫一下，皮就很容易剥掉。鸡蛋打入碗中，加一点点盐，用筷子充分搅拌均匀。",
        "锅里多放一些油，油热后倒入蛋液，等边缘稍微凝固时轻轻推动，炒到八成熟就盛出来，这样鸡蛋才会保持嫩滑。"
        "接着用锅里剩下的油炒番茄，小火慢慢翻炒，直到番茄出汁变软。",
        "这时可以根据个人口味加少许糖，能中和番茄的酸味，再放适量的盐。最后把炒好的鸡蛋倒回锅中，和番茄一起翻炒几下，"
        "撒上一把葱花就可以出锅了。有人喜欢汤汁多一些，用来拌饭特别香。",
    ]),
    ("秋天的树叶为什么会变色", [
        "每到秋天，北方的山林就像被打翻了调色盘，红色、黄色、橙色的树叶层层叠叠，吸引了无数游客前去观赏。"
        "那么，原本绿色的树叶为什么会在秋天改变颜色呢？",
        "答案藏在叶子里的色素中。在春天和夏天，叶片中含有大量的叶绿素，它能吸收阳光进行光合作用，为树木制造养分。"
        "由于叶绿素的含量很高，叶子里其他的色素都被遮盖住了，所以我们看到的叶子是绿色的。",
        "到了秋天，白天变短，气温下降，树木开始为过冬做准备。叶绿素逐渐被分解，原本隐藏在叶子里的胡萝卜素和叶黄素就显露出来，"
        "叶子便变成了黄色或橙色。",
        "有些树木，比如枫树，还会在秋天产生一种叫作花青素的色素。天气晴朗、昼夜温差大的时候，叶子里的糖分积累得更多，"
        "花青素也更多，叶子就会变得格外鲜红。所以，每年红叶的美丽程度都和当年秋天的天气有很大关系。",
    ]),
    ("漫步苏州园林", [
        "人们常说“江南园林甲天下，苏州园林甲江南”。去年春天，我终于有机会在苏州住了三天，专门去看看这些有名的古典园林。",
        "第一天我去了拙政园。园子很大，以水为中心，亭台楼阁都建在水边。沿着曲折的走廊慢慢走，每转一个弯，眼前的景色就会变化，"
        "有时是一片荷塘，有时是一座假山，有时透过一扇小小的花窗，又能看到另一个院落。",
        "第二天去的留园规模小一些，却同样精致。园中的太湖石形状奇特，据说最有名的一块高达六米多。我在一间临水的小屋里坐了很久，"
        "听着雨点落在瓦片上的声音，觉得时间好像慢了下来。",
        "最后一天，我避开热门景点，去了一个游客不多的小园子。园里只有几位老人在喝茶、下棋，气氛十分安静。"
        "建议想去苏州的朋友最好在工作日早上入园，人少的时候才能真正体会园林的意境。",
    ]),
    # Encoded as GBK, declared only in the HTTP Content-Type header.
    ("丝绸之路简史", [
        "丝绸之路是古代连接东西方的重要贸易通道。它并不是一条单一的道路，而是由许多条路线组成的交通网络，"
        "从中国的长安出发，经过河西走廊和中亚的绿洲城市，一直延伸到地中海沿岸。",
        "公元前二世纪，张骞奉命出使西域，历经千辛万苦，打通了中原与西域各国之间的联系。此后，商人们带着丝绸、瓷器和茶叶向西出发，"
        "又把葡萄、苜蓿、香料和玻璃器皿带回中原。",
        "丝绸之路上交流的不只是商品。佛教经由这条道路传入中国，造纸术等技术也逐渐向西传播。沿途的敦煌莫高窟保存了大量精美的壁画和经卷，"
        "见证了不同文化之间的相互影响。",
        "随着航海技术的发展，海上贸易越来越重要，陆上丝绸之路逐渐衰落。不过，许多古城遗址、驿站和烽火台至今仍然留在沙漠之中，"
        "吸引着考古学家和旅行者前去探访。",
    ]),
    ("社区图书馆开设周末读书会", [
        "从本月起，东城社区图书馆每逢周六下午都会举办读书会，欢迎附近居民免费参加。第一次活动吸引了四十多位读者，"
        "其中既有退休教师，也有带着孩子的年轻父母。",
        "读书会由图书馆的两位馆员和几名志愿者共同组织。每个月会选定一本书，参加者可以提前借阅，然后在活动中分享自己的感受。"
        "本月选择的是一部描写小镇生活的长篇小说，大家围绕书中人物的命运展开了热烈的讨论。",
        "为了照顾有孩子的家庭，图书馆还在隔壁的房间安排了儿童绘本故事时间，由志愿者给孩子们讲故事、做手工。"
        "一位参加活动的母亲说，这样她终于可以安心地参加讨论，孩子也玩得很开心。",
        "图书馆负责人表示，今后还计划邀请作家和学者来举办讲座，并在暑假期间开设中学生写作班。有兴趣的居民可以到服务台报名。",
    ]),
    ("校园足球联赛圆满落幕", [
        "为期两个月的全市中学生校园足球联赛上周日圆满落幕。来自二十四所学校的男女足球队参加了比赛，"
        "最终第三中学男队和实验中学女队分别获得了冠军。",
        "男子组决赛在市体育中心举行，现场来了近两千名观众。第三中学在上半场先失一球，下半场依靠两次精彩的配合连进两球，"
        "以二比一逆转取胜。队长赛后说，全队坚持到了最后一刻，这场胜利属于每一位队员。",
        "女子组的比赛同样激烈。实验中学女队在点球大战中以四比三险胜对手。她们的教练介绍说，这支队伍组建只有三年，"
        "很多队员刚开始连球都踢不好，是靠每天放学后的训练一点点进步的。",
        "组委会表示，今年的联赛参赛队伍数量创下新高，明年还将增加小学组的比赛，让更多孩子爱上足球。"
        "不少家长也在看台上为孩子们加油，他们说，比起比赛的输赢，更希望孩子们在运动中学会合作和坚持。",
    ]),
    ("智能手机是如何定位的", [
        "打开手机地图，屏幕上很快就会出现一个代表自己位置的小蓝点。很多人每天都在使用这个功能，却很少想过手机是怎样知道自己在哪里的。",
        "最主要的方法是卫星定位。天空中有几十颗导航卫星，它们不断地发送带有精确时间的信号。手机接收到至少四颗卫星的信号后，"
        "就能根据信号传播所用的时间计算出与每颗卫星之间的距离，从而确定自己的位置。",
        "不过，在高楼林立的市中心或者室内，卫星信号容易被遮挡。这时手机会借助附近的移动基站和无线网络热点来辅助定位。"
        "系统中记录着大量热点的大致位置，手机只要扫描周围的信号，就能推算出自己大概在哪里。",
        "此外，手机里的加速度计、陀螺仪和电子罗盘也能帮助判断移动的方向和距离。几种方法结合起来，定位就变得更快、更准确了。",
    ]),
]

ARTICLES["ja"] = [
    ("基本の味噌汁の作り方", [
        "味噌汁は日本の家庭料理の中でも最も身近な一品です。具材を変えれば毎日でも飽きずに楽しめますが、おいしく作るためには、"
        "いくつかの基本を押さえておくことが大切です。",
        "まずはだしを取ります。鍋に水と昆布を入れて三十分ほど置き、弱火にかけます。沸騰する直前に昆布を取り出し、"
        "かつお節をひとつかみ加えて火を止めます。かつお節が沈んだら、ざるでこして澄んだだしを用意します。",
        "次に具材を準備します。定番は豆腐とわかめ、ねぎの組み合わせですが、大根や油揚げ、じゃがいもと玉ねぎなども人気があります。"
        "火の通りにくい野菜は、だしで先にやわらかく煮ておきましょう。",
        "最後に火を弱めて味噌を溶き入れます。味噌は煮立たせると香りが飛んでしまうので、沸騰させないように注意してください。"
        "お椀に注いだら、刻んだねぎを散らして完成です。",
    ]),
    ("桜の開花日はどう決まるのか", [
        "春になると、天気予報で桜の開花予想が毎日のように伝えられます。では、桜が咲く日はどのようにして決まるのでしょうか。",
        "桜の花のもとになる芽は、前の年の夏にすでに作られています。秋から冬にかけて芽はいったん眠った状態になり、"
        "冬の厳しい寒さにさらされることで目を覚まします。これを休眠打破と呼びます。",
        "目覚めた芽は、春の暖かさを受けて少しずつ成長していきます。そのため、冬に十分寒くなり、そのあと気温が順調に上がると、"
        "開花は早くなります。逆に暖冬の年には、休眠打破がうまく進まず、かえって開花が遅れることもあります。",
        "気象台では、決められた標本木に五、六輪以上の花が咲いた日を開花日としています。各地の開花予想は、"
        "冬から春にかけての気温の記録をもとに計算されています。",
    ]),
    ("京都の路地を歩く", [
        "京都というと有名な寺や神社を思い浮かべる人が多いでしょう。けれども、この町の本当の魅力は、"
        "観光地から一本入った静かな路地にあるのではないかと私は思います。",
        "朝早く、まだ店が開く前の時間に東山のあたりを歩きました。石畳の細い道の両側には古い町家が並び、"
        "格子戸の向こうから朝ごはんのにおいが漂ってきます。角を曲がるたびに、小さなお地蔵さんや手入れの行き届いた鉢植えに出会いました。",
        "昼ごろには西陣まで足をのばしました。かつて織物の町として栄えたこの地区では、今も機織りの音が聞こえる家があります。"
        "路地の奥の小さな喫茶店に入ると、店主が町の歴史をゆっくりと話してくれました。",
        "夕方、鴨川のほとりに腰を下ろして、一日歩いた道を思い返しました。地図には載っていない景色こそが、旅の一番の思い出になりました。",
    ]),
    # Encoded as Shift_JIS, declared only in the HTTP Content-Type header: JIS X 0208 characters only.
    ("江戸時代の飛脚", [
        "電話も郵便もなかった江戸時代、手紙や荷物を遠くまで届けたのが飛脚と呼ばれる人々です。"
        "彼らは決められた区間を走ってつなぎ、町から町へと大切な知らせを運びました。",
        "飛脚にはいくつかの種類がありました。幕府の公用文書を運ぶ継飛脚は、宿場ごとに人を交代しながら昼も夜も走り続け、"
        "江戸から京都までをわずか数日で結んだといわれています。大名が国元との連絡に使った大名飛脚もありました。",
        "やがて町人たちも飛脚を利用するようになり、民間の飛脚問屋が生まれました。商人たちは為替や商品の見本を送り、"
        "家族は遠く離れた親類と手紙をやりとりしました。料金は距離や速さによって細かく決められていました。",
        "明治時代になって近代的な郵便制度が始まると、飛脚の役目は終わりました。しかし、その仕組みや人々の経験は、"
        "新しい郵便の仕事にも生かされたといわれています。",
    ]),
    ("商店街に小さな図書コーナー", [
        "駅前の商店街に、誰でも自由に本を借りられる小さな図書コーナーが誕生しました。空き店舗を活用したもので、"
        "商店街の店主たちが中心になって準備を進めてきました。",
        "棚に並ぶ本は、すべて地域の住民から寄付されたものです。絵本や小説、料理の本、旅行のガイドブックなど、"
        "およそ千五百冊が集まりました。貸し出しの手続きはなく、読み終わったら棚に戻すだけという気軽な仕組みです。",
        "コーナーの一角には机といすが置かれ、買い物の途中に一休みしながら本を読むこともできます。"
        "放課後には子どもたちが宿題をしに集まり、近くの店の人が声をかけて見守っています。",
        "商店街の会長は、本をきっかけに人が集まり、町に活気が戻ってほしいと話しています。今後は、読み聞かせの会や古本市も開く予定です。",
    ]),
    ("高校駅伝で地元チームが初優勝", [
        "県の高校駅伝大会が日曜日に行われ、地元の北高校が初めての優勝を果たしました。"
        "七人の選手がたすきをつなぎ、およそ四十二キロのコースを二時間八分台で走り切りました。",
        "レースは序盤から強豪校が先頭を引っ張る展開となりました。北高校は三区を終えた時点で四位でしたが、"
        "四区の二年生が区間賞の走りで一気に二人を抜き、流れを引き寄せました。",
        "アンカーの三年生は、競技場に入ったところで後続との差を確認すると、大きく手を振ってゴールテープを切りました。"
        "沿道で応援していた家族や同級生からは、大きな拍手がわき起こりました。",
        "監督は、夏の合宿で走り込んできた成果が出たと選手たちをたたえました。北高校は十二月に行われる全国大会に出場します。",
    ]),
    ("電子マネーの仕組み", [
        "コンビニや駅の改札で、カードやスマートフォンをかざすだけで支払いができる電子マネーは、すっかり生活に定着しました。"
        "では、その裏側ではどのようなことが起きているのでしょうか。",
        "多くのカードには小さな集積回路とアンテナが埋め込まれています。読み取り機にかざすと、機械から出る電波によってカードに電気が生まれ、"
        "ほんの一瞬のうちに残高の確認や書き換えが行われます。",
        "スマートフォンで支払う場合も、基本的な仕組みは同じです。電話の中にある専用の部品や、"
        "クレジットカードと結びついたアプリが、安全な方法で支払いの情報をやりとりします。",
        "便利な一方で、なくしたときに他人に使われるおそれや、使いすぎに気づきにくいといった問題もあります。"
        "利用履歴をこまめに確認し、暗証番号や生体認証を設定しておくと安心です。",
    ]),
]

# Served double-encoded (UTF-8 bytes read as cp1252, then re-encoded as UTF-8). The texts avoid
# characters whose UTF-8 bytes decode to controls or no-break spaces in cp1252 (à, í, ”, ...).
MOJIBAKE_ARTICLES: list[tuple[str, str, list[str]]] = [
    ("fr", "Le café du port fête ses cent ans", [
        "Le café du port, installé sur le quai depuis 1924, a fêté ses cent ans samedi avec une grande "
        "soirée ouverte au public. Des centaines d'habitués sont venus trinquer avec la propriétaire, "
        "Hélène Le Goff, petite-fille du fondateur.",
        "Dans la salle, rien n'a beaucoup changé depuis des décennies : le long comptoir en zinc, les "
        "banquettes en cuir rouge et les photos jaunies des bateaux de pêche accrochées aux murs. Les "
        "marins y prennent toujours leur café noir avant l'aube, puis les touristes arrivent vers midi "
        "pour déguster les moules et les crêpes.",
        "Hélène se souvient de son enfance derrière le comptoir, quand son grand-père lui apprenait "
        "l'art de servir un café bien serré et de reconnaître chaque client par son prénom. Elle a refusé "
        "plusieurs offres de rachat, car elle tient avant tout au caractère du lieu.",
        "Pour l'anniversaire, un orchestre a joué des chansons de marins jusqu'au bout de la nuit, et "
        "une exposition de photographies anciennes restera visible dans la salle pendant tout l'été.",
    ]),
    ("de", "Größere Fähren für die Überfahrt zur Insel", [
        "Ab dem kommenden Frühjahr sollen zwei größere Fähren die Überfahrt zwischen dem Festland und "
        "der Insel übernehmen. Die Reederei hat die Schiffe bei einer Werft in Norddeutschland bestellt, "
        "und die Bauarbeiten sind nach Angaben des Unternehmens gut im Zeitplan.",
        "Die neuen Fähren bieten Platz für jeweils sechshundert Fahrgäste und fünfundsiebzig Autos, fast "
        "doppelt so viele wie die bisherigen Schiffe. Außerdem werden sie mit Flüssiggas statt mit "
        "Schweröl betrieben, was den Ausstoß von Schadstoffen deutlich verringern soll.",
        "Für die Inselbewohner ist das eine gute Nachricht. Im Sommer müssen sie bisher oft stundenlang "
        "warten, weil die Fähren von Urlaubern überfüllt sind. Künftig soll es in der Hauptsaison "
        "zusätzliche Abfahrten am frühen Morgen und am späten Abend geben.",
        "Der Bürgermeister der Insel begrüßte die Pläne, forderte aber günstigere Tarife für "
        "Pendler. Die Reederei will darüber im Herbst mit der Gemeinde verhandeln.",
        "Die alten Schiffe sollen nach der Übergabe verkauft werden. Ein Verein aus der Region würde eines "
        "davon gern als schwimmendes Museum erhalten, doch ob sich dafür genügend Geld findet, ist noch offen.",
    ]),
    ("en", "The café that refused to close", [
        "When the landlord of the building on Quay Street announced last spring that he would sell it, "
        "regulars at the Harbour Café assumed it was the end of an era — until they came up with a plan. "
        "Nobody expected that the café's "
        "customers would end up buying the building themselves.",
        "The café has served strong tea, bacon rolls and home-made crème caramel to fishermen, dock "
        "workers and students for more than fifty years. When the sale was announced, one regular — a "
        "retired accountant — suggested forming a cooperative, and within six weeks more than four "
        "hundred people had bought shares.",
        "The owner, Rosa Delgado, says she was overwhelmed by the support. She admits that she had already "
        "started to look for a new job, because she could not afford the rent that a developer would "
        "have charged. Now the cooperative owns the building and the café pays a fair rent that goes "
        "towards the upkeep of the roof.",
        "The first floor, empty for years, will be turned into a small community room for meetings, "
        "music lessons and a Saturday repair café, where volunteers will mend broken toasters and lamps.",
    ]),
]

SPAM_PAGES: list[tuple[str, str, list[str]]] = [
    ("Cheap viagra casino bonus best price buy now",
     "Welcome to the best deals online. Click here for the cheapest offers today.",
     ["cheap viagra", "casino bonus", "best price", "buy now", "cheap", "free spins", "online pharmacy",
      "discount pills", "no prescription", "win big", "jackpot", "cheap cialis", "best casino",
      "fast delivery", "lowest price", "buy cheap", "bonus code", "limited offer"]),
    ("Payday loans fast cash no credit check replica watches",
     "Get money now. Best loans and watches cheap cheap cheap.",
     ["payday loans", "fast cash", "no credit check", "replica watches", "cheap rolex", "instant approval",
      "bad credit ok", "cash advance", "luxury replica", "best loans", "apply now", "cheap", "loans online",
      "guaranteed approval", "money fast", "watches cheap", "free quote"]),
]

LOREM_PAGES: list[tuple[str, list[str]]] = [
    ("Lorem ipsum dolor sit amet", [
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut "
        "labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris "
        "nisi ut aliquip ex ea commodo consequat.",
        "Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla "
        "pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt "
        "mollit anim id est laborum.",
        "Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium, "
        "totam rem aperiam, eaque ipsa quae ab illo inventore veritatis et quasi architecto beatae vitae "
        "dicta sunt explicabo.",
        "Nemo enim ipsam voluptatem quia voluptas sit aspernatur aut odit aut fugit, sed quia consequuntur "
        "magni dolores eos qui ratione voluptatem sequi nesciunt. Neque porro quisquam est, qui dolorem "
        "ipsum quia dolor sit amet, consectetur, adipisci velit.",
    ]),
    ("Sample page title goes here", [
        "Curabitur pretium tincidunt lacus. Nulla gravida orci a odio. Nullam varius, turpis et commodo "
        "pharetra, est eros bibendum elit, nec luctus magna felis sollicitudin mauris. Integer in mauris "
        "eu nibh euismod gravida.",
        "Duis ac tellus et risus vulputate vehicula. Donec lobortis risus a elit. Etiam tempor. Ut "
        "ullamcorper, ligula eu tempor congue, eros est euismod turpis, id tincidunt sapien risus a quam. "
        "Maecenas fermentum consequat mi.",
        "Donec fermentum. Pellentesque malesuada nulla a mi. Duis sapien sem, aliquet nec, commodo eget, "
        "consequat quis, neque. Aliquam faucibus, elit ut dictum aliquet, felis nisl adipiscing sapien, "
        "sed malesuada diam lacus eget erat.",
    ]),
]

COOKIE_PAGE: tuple[str, list[str]] = ("Your privacy choices", [
    "We value your privacy. We and our 247 partners use cookies and similar technologies to store and "
    "access information on your device, to personalise ads and content, to measure ad and content "
    "performance, to gain audience insights and to develop and improve our products.",
    "With your permission we and our partners may use precise geolocation data and identification "
    "through device scanning. You may click to consent to our and our partners' processing as described "
    "above. Alternatively you may click to refuse to consent or access more detailed information and "
    "change your preferences before consenting.",
    "Please note that some processing of your personal data may not require your consent, but you have a "
    "right to object to such processing. Your preferences will apply to this website only. You can "
    "change your preferences at any time by returning to this site or visiting our privacy policy.",
    "Strictly necessary cookies. Performance cookies. Functional cookies. Targeting cookies. Social media "
    "cookies. Accept all cookies. Reject all. Manage preferences. Save and exit.",
    "Bin collection dates have changed.",
    "See the council website for details.",
])

# Records for docs.jsonl: (id, language, url, date, tags, text). The generator adds the planted
# bad lines (cross-source duplicate, missing text, invalid JSON, empty text) between them.
DOCS: list[tuple[str, str, str, str, list[str], str]] = [
    ("doc-0001", "en", "https://notes.example.org/kettle-descaling", "2023-11-02", ["home", "howto"],
     "Limescale builds up in a kettle wherever the tap water is hard, and a thick crust makes the kettle "
     "slower and noisier. The easiest way to remove it is with an acid that dissolves the chalky deposit. "
     "Fill the kettle halfway with equal parts water and white vinegar, or use a few spoonfuls of citric "
     "acid instead, and bring it to the boil. Leave it to stand for an hour, then pour the liquid away "
     "and rinse the kettle several times with clean water. Boil a full kettle of fresh water once more "
     "and throw it away, so that your next cup of tea does not taste of vinegar. Doing this once a month "
     "keeps the element clean and saves a little electricity."),
    ("doc-0002", "en", "https://notes.example.org/why-bread-goes-stale", "2023-11-09", ["food", "science"],
     "Bread goes stale not mainly because it dries out but because the starch inside it changes. When a "
     "loaf is baked, the starch granules absorb water and swell into a soft gel. As the bread cools and "
     "sits on the counter, the starch molecules slowly line up again into tight crystals and push the "
     "water out, which makes the crumb firm and crumbly. This process happens fastest at fridge "
     "temperatures, so keeping bread in the refrigerator actually makes it go stale sooner. Freezing "
     "stops it almost completely, and a short spell in a hot oven can reverse it for a while, which is "
     "why a day-old baguette can be revived with a splash of water and a few minutes of heat."),
    ("doc-0003", "en", "https://notes.example.org/first-aid-for-houseplants", "2023-12-01", ["garden"],
     "Most houseplants that die indoors are killed by kindness rather than neglect. Overwatering is the "
     "most common mistake, because roots sitting in wet compost cannot breathe and soon begin to rot. "
     "Before watering, push a finger into the soil: if the top two centimetres are still damp, wait a few "
     "more days. Pots should always have drainage holes, and any water left standing in the saucer "
     "should be poured away after half an hour. Yellowing lower leaves often point to too much water, "
     "while brown, crispy edges usually mean the air is too dry or the plant stands too close to a "
     "radiator. In winter, when growth slows down, most plants need far less water than in summer."),
    ("doc-0004", "en", "https://notes.example.org/how-bicycle-gears-work", "2024-01-15", ["cycling", "tech"],
     "Gears let a cyclist keep pedalling at a comfortable speed whatever the slope of the road. The chain "
     "links a toothed ring at the pedals with a cluster of sprockets on the rear wheel. When the chain "
     "runs on a small front ring and a large rear sprocket, each turn of the pedals turns the wheel only a "
     "little, which makes climbing a hill easier but slow. On a large front ring and a small rear sprocket, "
     "one turn of the pedals moves the bike a long way, which is ideal for speed on the flat. A good habit "
     "is to change gear before the hill begins, while the pedals are not under heavy load, because "
     "shifting under strain wears the chain and can make it slip."),
    ("doc-0005", "en", "https://notes.example.org/the-sound-of-thunder", "2024-02-20", ["weather", "science"],
     "Thunder is the sound of air expanding explosively. A lightning bolt heats the air along its path to "
     "around thirty thousand degrees in a fraction of a second, which is several times hotter than the "
     "surface of the Sun. The sudden heating makes the air expand faster than the speed of sound, "
     "creating a shock wave that we hear as a sharp crack close by or a long rumble further away. Because "
     "light travels almost instantly while sound covers roughly one kilometre in three seconds, counting "
     "the seconds between the flash and the thunder gives a rough idea of how far away the storm is. If "
     "the gap is shorter than about thirty seconds, it is wise to go indoors."),
    ("doc-0006", "de", "https://notizen.example.de/brot-richtig-lagern", "2023-10-18", ["küche"],
     "Frisches Brot bleibt am längsten saftig, wenn man es richtig aufbewahrt. Am besten eignet sich ein "
     "Brotkasten aus Holz, Ton oder Emaille, in dem die Luft ein wenig zirkulieren kann. In einer "
     "Plastiktüte schwitzt das Brot dagegen und beginnt schnell zu schimmeln. Der Kühlschrank ist ebenfalls "
     "keine gute Wahl, denn bei niedrigen Temperaturen wird die Krume besonders schnell trocken und fest. "
     "Wer größere Mengen kauft, kann das Brot in Scheiben schneiden und portionsweise einfrieren. So lässt "
     "sich jeden Morgen genau die Menge auftauen, die man braucht, und nichts muss weggeworfen werden."),
    ("doc-0007", "de", "https://notizen.example.de/igel-im-garten", "2023-11-25", ["garten", "natur"],
     "Igel gehören zu den nützlichsten Besuchern im Garten, denn sie fressen Käfer, Raupen und Schnecken. "
     "Wer ihnen helfen möchte, sollte im Herbst nicht alles aufräumen. Ein Haufen aus Laub und Reisig in "
     "einer ruhigen Ecke bietet den Tieren ein geschütztes Quartier für den Winterschlaf. Wichtig sind "
     "auch kleine Durchgänge in Zäunen, damit die Igel auf ihren nächtlichen Streifzügen von Garten zu "
     "Garten wandern können. Milch sollte man ihnen auf keinen Fall geben, weil sie davon Durchfall "
     "bekommen. Eine flache Schale mit frischem Wasser ist dagegen besonders in trockenen Sommern sehr "
     "willkommen."),
    ("doc-0008", "fr", "https://carnets.example.fr/conserver-les-herbes", "2023-09-30", ["cuisine"],
     "Les herbes aromatiques fraîches se conservent mal si on les laisse simplement dans leur sachet au "
     "réfrigérateur. Le persil, la coriandre et l'aneth supportent bien d'être placés comme un bouquet "
     "dans un verre d'eau, recouverts d'un sac en plastique léger. Le basilic, en revanche, craint le "
     "froid et préfère rester sur le plan de travail, loin du soleil. Pour garder des herbes plus "
     "longtemps, on peut les hacher et les congeler dans un bac à glaçons avec un peu d'huile d'olive. "
     "Il suffit ensuite de jeter un cube dans une sauce ou une soupe au moment de la cuisson."),
    ("doc-0009", "fr", "https://carnets.example.fr/observer-les-etoiles", "2024-01-08", ["astronomie"],
     "Il n'est pas nécessaire de posséder un télescope pour commencer à observer le ciel. Une nuit claire, "
     "loin des lumières de la ville, permet déjà de distinguer des milliers d'étoiles, la Voie lactée et "
     "parfois quelques planètes brillantes. Avant de lever les yeux, il faut laisser à la vue une vingtaine "
     "de minutes pour s'habituer à l'obscurité, et éviter de regarder l'écran de son téléphone. Une carte "
     "du ciel ou une application aide à repérer les constellations les plus connues. Une simple paire de "
     "jumelles révèle ensuite les cratères de la Lune et les amas d'étoiles."),
    ("doc-0010", "es", "https://apuntes.example.es/cuidar-el-huerto-en-verano", "2023-07-12", ["huerto"],
     "En pleno verano, el huerto necesita sobre todo agua y sombra en las horas de más calor. Lo mejor es "
     "regar temprano por la mañana o al caer la tarde, cuando el sol no evapora el agua tan deprisa, y "
     "hacerlo al pie de las plantas en lugar de mojar las hojas. Una capa de paja o de hierba seca sobre "
     "la tierra ayuda a conservar la humedad y frena las malas hierbas. Conviene recoger los tomates, "
     "calabacines y pepinos con frecuencia, porque así las plantas siguen produciendo durante más tiempo. "
     "Si aparecen pulgones, a menudo basta con un chorro de agua con un poco de jabón."),
    ("doc-0011", "es", "https://apuntes.example.es/por-que-bostezamos", "2023-10-03", ["ciencia"],
     "Todos bostezamos, y casi nadie puede evitar hacerlo cuando ve bostezar a otra persona. Durante mucho "
     "tiempo se pensó que bostezar servía para llevar más oxígeno a la sangre, pero los experimentos no "
     "han confirmado esa idea. Una hipótesis más reciente sostiene que el bostezo ayuda a enfriar el "
     "cerebro, ya que la gran bocanada de aire y el estiramiento de la mandíbula aumentan el flujo de "
     "sangre en la cabeza. El contagio del bostezo parece estar relacionado con la empatía: es más "
     "frecuente entre amigos y familiares que entre desconocidos."),
]

# Pages of the MediaWiki dump, in dump order. kind: article | redirect | disambiguation |
# non_article_namespace. For articles, ``must_contain`` are link labels / heading texts that a
# wikitext-to-plain-text reader must keep; ``must_not_contain`` are template parameter values or
# reference contents that it must drop.
WIKI_PAGES: list[dict] = [
    {
        "title": "Basalt", "ns": 0, "kind": "article",
        "must_contain": ["volcanic rock", "Columnar jointing"],
        "must_not_contain": ["Flood basalt provinces of the world", "fine-grained mafic igneous"],
        "text": """{{Short description|Fine-grained volcanic rock}}
{{Infobox rock
| name = Basalt
| type = Igneous
| composition = fine-grained mafic igneous
| image = Basalt columns.jpg
}}
'''Basalt''' is a dark, fine-grained [[Volcanic rock|volcanic rock]] formed from the rapid cooling of lava that is rich in [[magnesium]] and [[iron]]. It is the most common rock type in the Earth's crust beneath the oceans, and it also makes up large parts of the surface of the [[Moon]] and [[Mars]].<ref>{{cite web |title=Flood basalt provinces of the world |publisher=Geological Survey |year=2019}}</ref>

== Formation ==
Basalt forms when lava erupts at the surface or close to it and cools within days or weeks. Because the crystals have little time to grow, the rock usually looks uniform to the naked eye. Most basalt is produced at [[mid-ocean ridge]]s, where the ocean floor spreads apart and hot mantle material rises to fill the gap. Large outpourings on land, called flood basalts, have covered areas of hundreds of thousands of square kilometres in the geological past.<ref name="survey" />

=== Columnar jointing ===
As a thick lava flow cools and contracts, it can crack into long, regular columns, often with six sides. Famous examples include the [[Giant's Causeway]] in Northern Ireland and Fingal's Cave on the island of [[Staffa]].
[[File:Basalt columns.jpg|thumb|Hexagonal basalt columns on a coast]]

== Uses ==
Crushed basalt is widely used in road building and as an aggregate in concrete. Melted basalt can be spun into fibres that are used for insulation and reinforcement. <!-- TODO: add section on soils -->

== References ==
{{Reflist}}

[[Category:Igneous rocks]]
[[Category:Volcanic rocks]]""",
    },
    {
        "title": "Lighthouse", "ns": 0, "kind": "article",
        "must_contain": ["Fresnel lens", "Automation"],
        "must_not_contain": ["Admiralty List of Lights", "navigational aid structure"],
        "text": """{{Short description|Tower that emits light to guide ships}}
{{Infobox building
| name = Lighthouse
| building_type = navigational aid structure
}}
A '''lighthouse''' is a tower, building or other structure designed to emit light from a system of lamps and lenses, serving as a [[navigational aid]] for [[pilot (maritime)|maritime pilots]] at sea or on inland waterways. Lighthouses mark dangerous coastlines, hazardous shoals, reefs and safe entries to harbours.<ref>''Admiralty List of Lights'', volume A.</ref>

== History ==
Before the development of clearly defined ports, sailors were guided by fires built on hilltops. The most famous ancient example was the [[Lighthouse of Alexandria|Pharos of Alexandria]], built in the third century BC and counted among the [[Seven Wonders of the Ancient World]]. In the eighteenth and nineteenth centuries, engineers such as [[John Smeaton]] and [[Robert Stevenson (civil engineer)|Robert Stevenson]] developed methods for building towers on exposed rocks.

== Optics ==
Early lights used open fires or candles, and later oil lamps with reflectors. The invention of the [[Fresnel lens]] in 1822 allowed a lamp's light to be concentrated into a powerful beam visible for many kilometres. Each lighthouse has its own ''characteristic'', a pattern of flashes that allows sailors to identify it at night.<ref name="lights">{{cite web |title=Understanding light characteristics |publisher=Northern Lighthouse Board}}</ref>

== Automation ==
During the twentieth century most lighthouses were converted to electric operation and then automated, so that resident keepers were no longer needed. Many former keepers' cottages are now museums or holiday homes.

== References ==
{{Reflist}}

[[Category:Lighthouses| ]]""",
    },
    {
        "title": "Sourdough", "ns": 0, "kind": "article",
        "must_contain": ["lactic acid bacteria", "Starter culture"],
        "must_not_contain": ["Microbial ecology of sourdough", "Lactobacillaceae and wild yeast"],
        "text": """{{Short description|Bread made by fermentation with wild yeast and bacteria}}
{{Infobox food
| name = Sourdough
| type = [[Bread]]
| main_ingredient = Flour, water, {{nowrap|Lactobacillaceae and wild yeast}}
}}
'''Sourdough''' is [[bread]] made by the [[fermentation]] of dough using wild yeasts and [[Lactic acid bacteria|lactic acid bacteria]], rather than commercially produced baker's yeast. The bacteria produce lactic and acetic acids, which give the bread its slightly sour taste and help it keep longer.<ref>{{cite web |title=Microbial ecology of sourdough |publisher=Food Microbiology |year=2016}}</ref>

== Starter culture ==
A sourdough ''starter'' is a mixture of flour and water in which yeasts and bacteria live together. A portion of the starter is mixed into each new batch of dough, and the remainder is "fed" with fresh flour and water so that it can be used again. Some bakeries claim that their starters have been kept alive for more than a century.

== History ==
Leavening with naturally soured dough is one of the oldest methods of making bread and was probably known in [[Ancient Egypt]]. It remained the usual way of raising bread in Europe until baker's yeast became widely available in the nineteenth century. During the [[Klondike Gold Rush]], prospectors carried starters with them, and "sourdough" became a nickname for experienced miners.

== Regional varieties ==
Rye breads of [[Germany]], [[Poland]] and the [[Baltic states]] are traditionally made with sourdough, because rye dough does not rise well with yeast alone. The city of [[San Francisco]] is known for a white sourdough with a particularly tangy flavour.<ref name="sf" />

== References ==
{{Reflist}}

[[Category:Breads]]
[[Category:Fermented foods]]""",
    },
    {
        "title": "Honeybee", "ns": 0, "kind": "redirect", "target": "Western honey bee",
        "text": "#REDIRECT [[Western honey bee]]\n\n{{Redirect category shell|\n{{R from alternative spelling}}\n}}",
    },
    {
        "title": "Western honey bee", "ns": 0, "kind": "article",
        "must_contain": ["waggle dance", "Colony structure"],
        "must_not_contain": ["Apis mellifera distribution survey", "Linnaeus, 1758"],
        "text": """{{Short description|Species of insect}}
{{Speciesbox
| name = Western honey bee
| genus = Apis
| species = mellifera
| authority = {{small|Linnaeus, 1758}}
}}
The '''western honey bee''' (''Apis mellifera'') is the most common of the honey bee species worldwide. It is native to Europe, Africa and western Asia, but has been spread by humans to every continent except [[Antarctica]]. The species is kept by beekeepers for [[honey]] and [[beeswax]] and for the [[Pollination|pollination of crops]].<ref>{{cite web |title=Apis mellifera distribution survey |publisher=Apicultural Institute}}</ref>

== Colony structure ==
A colony normally contains a single fertile female, the queen, several thousand male [[drone (bee)|drones]] in summer, and tens of thousands of sterile female workers. Workers perform different tasks as they age, starting with cleaning cells and feeding larvae and ending as foragers that collect nectar and pollen.

== Communication ==
Foragers returning to the hive communicate the direction and distance of food sources through the [[waggle dance]]. The angle of the dance relative to vertical corresponds to the direction of the food relative to the sun, and the duration of the waggling indicates distance. This behaviour was decoded by [[Karl von Frisch]], who shared the 1973 [[Nobel Prize in Physiology or Medicine]].

== Threats ==
Colonies are threatened by the parasitic mite ''[[Varroa destructor]]'', by viral diseases and by the loss of flowering plants. Beekeepers in many countries have reported unusually high winter losses since the early 2000s.<ref name="losses">Colony loss monitoring report, 2020.</ref>

== References ==
{{Reflist}}

[[Category:Apis]]
[[Category:Insects described in 1758]]""",
    },
    {
        "title": "Tide", "ns": 0, "kind": "article",
        "must_contain": ["gravitational forces", "Spring and neap tides"],
        "must_not_contain": ["Tidal analysis and prediction manual", "Principal lunar semidiurnal"],
        "text": """{{Short description|Rise and fall of sea levels}}
'''Tides''' are the rise and fall of [[sea level]]s caused by the combined effects of the [[Gravity|gravitational forces]] exerted by the [[Moon]] and the [[Sun]] and the rotation of the [[Earth]]. Most coastal places experience two high tides and two low tides each lunar day, although some have only one of each.<ref>{{cite web |title=Tidal analysis and prediction manual |publisher=Hydrographic Office}}</ref>

== Causes ==
The Moon's gravitational pull is stronger on the side of the Earth facing it and weaker on the opposite side. This difference stretches the oceans into two bulges. As the Earth rotates beneath them, a given point on the coast passes through the bulges and the troughs between them.

== Spring and neap tides ==
When the Sun, Moon and Earth are aligned, at [[new moon]] and [[full moon]], the tidal forces add together and produce spring tides with a large range. When the Sun and Moon are at right angles as seen from the Earth, the forces partly cancel and the range is smaller; these are called neap tides.

== Tidal constituents ==
Tide prediction breaks the tide into a sum of periodic components called constituents. The most important are listed below.
{| class="wikitable"
|+ Major tidal constituents
! Symbol !! Name !! Period (hours)
|-
| M2 || {{abbr|Principal lunar semidiurnal|M2}} || 12.42
|-
| S2 || Principal solar semidiurnal || 12.00
|-
| K1 || Lunisolar diurnal || 23.93
|-
| O1 || Lunar diurnal || 25.82
|}

== Extreme ranges ==
The largest tidal ranges in the world occur in the [[Bay of Fundy]] in Canada, where the difference between high and low water can exceed fifteen metres.<ref name="fundy" />

== References ==
{{Reflist}}

[[Category:Tides]]
[[Category:Oceanography]]""",
    },
    {
        "title": "Printing press", "ns": 0, "kind": "article",
        "must_contain": ["movable type", "Spread across Europe"],
        "must_not_contain": ["Eisenstein, The Printing Revolution", "Mainz, Holy Roman Empire"],
        "text": """{{Short description|Device for applying pressure to transfer ink}}
{{Infobox invention
| name = Printing press
| inventor = [[Johannes Gutenberg]]
| place = Mainz, Holy Roman Empire
| date = c. 1440
}}
A '''printing press''' is a mechanical device for applying pressure to an inked surface resting upon a print medium, such as paper or cloth, thereby transferring the ink. Around 1440 the German goldsmith [[Johannes Gutenberg]] combined a screw press with [[Movable type|movable type]] cast from a metal alloy, oil-based ink and a hand mould, creating a system that could produce books far more quickly than copying by hand.<ref>Eisenstein, The Printing Revolution in Early Modern Europe, p. 13.</ref>

== Spread across Europe ==
Within a few decades, printing workshops had been set up in more than two hundred cities. By 1500 presses across Western Europe had produced more than twenty million volumes. Printing lowered the cost of books, helped to standardise languages and spelling, and allowed new ideas to spread rapidly during the [[Renaissance]] and the [[Reformation]].

== Later developments ==
The basic design changed little until the nineteenth century, when iron presses, the steam-powered [[rotary printing press]] and eventually [[offset printing]] made it possible to print newspapers in huge numbers.<ref name="rotary">{{cite web |title=History of the rotary press |publisher=Museum of Printing}}</ref>

{{See also|Woodblock printing}}

== References ==
{{Reflist}}

[[Category:Printing]]
[[Category:German inventions]]""",
    },
    {
        "title": "Glacier", "ns": 0, "kind": "article",
        "must_contain": ["fresh water", "Glacial landforms"],
        "must_not_contain": ["World Glacier Inventory", "Alpine and continental ice masses"],
        "text": """{{Short description|Persistent body of ice that moves under its own weight}}
{{Infobox landform
| name = Glacier
| type = Alpine and continental ice masses
}}
A '''glacier''' is a persistent body of dense ice that is constantly moving downhill under its own weight. Glaciers form where the accumulation of snow exceeds its melting over many years. Together, glaciers and ice sheets hold about sixty-nine percent of the world's [[Fresh water|fresh water]].<ref>{{cite web |title=World Glacier Inventory |publisher=National Snow and Ice Data Center}}</ref>

== Formation and movement ==
As fresh snow is buried, it is compressed into granular ''firn'' and eventually into glacial ice. When the ice becomes thick enough, it begins to flow, partly by deforming internally and partly by sliding over its bed on a thin film of meltwater. Typical speeds range from a few centimetres to several metres per day.

== Glacial landforms ==
Moving ice erodes the rock beneath it and carries huge quantities of debris. Glaciers carve U-shaped valleys, [[cirque]]s and [[fjord]]s, and deposit ridges of debris called [[moraine]]s. Large boulders carried far from their origin are known as [[glacial erratic]]s.
[[File:Glacier tongue.jpg|thumb|upright|The tongue of a valley glacier]]

== Retreat ==
Since the middle of the nineteenth century most glaciers around the world have been shrinking. The retreat has accelerated in recent decades and contributes to [[sea level rise]].<ref name="retreat" />

== References ==
{{Reflist}}

[[Category:Glaciers| ]]
[[Category:Glaciology]]""",
    },
    {
        "title": "Violin", "ns": 0, "kind": "article",
        "must_contain": ["string instrument", "Construction"],
        "must_not_contain": ["Cremonese workshop inventory", "321.322-71"],
        "text": """{{Short description|Bowed string instrument}}
{{Infobox instrument
| name = Violin
| classification = [[String instrument]]
| hornbostel_sachs = 321.322-71
| range = G3 to A7
}}
The '''violin''' is a wooden [[String instrument|string instrument]] in the violin family. It is the smallest and highest-pitched instrument in regular use in the family, which also includes the [[viola]] and the [[cello]]. Its four strings are usually tuned in perfect fifths to G, D, A and E, and it is most commonly played by drawing a [[Bow (music)|bow]] across the strings.

== History ==
The violin emerged in northern Italy in the early sixteenth century. The workshops of [[Cremona]], above all those of the Amati family, [[Antonio Stradivari]] and [[Giuseppe Guarneri]], produced instruments that are still regarded as the finest ever made.<ref>''Cremonese workshop inventory'', 1720.</ref>

== Construction ==
A violin typically has a spruce top, maple back and sides, and a fingerboard of ebony. Inside the body, a small wooden dowel called the ''sound post'' transmits vibrations between the top and the back.

=== Sizes ===
Violins are made in fractional sizes for children.
{| class="wikitable sortable"
! Size !! Body length (cm) !! Typical player age
|-
| 4/4 || 35.5 || Adults
|-
| 3/4 || 33.0 || 9–11 years
|-
| 1/2 || 31.0 || 7–9 years
|-
| 1/4 || 28.0 || 5–7 years
|}

== References ==
{{Reflist}}

[[Category:Violins]]
[[Category:Bowed string instruments]]""",
    },
    {
        "title": "Windmill", "ns": 0, "kind": "article",
        "must_contain": ["wind energy", "Post mills"],
        "must_not_contain": ["Mills Archive Trust", "machine converting wind into rotational energy"],
        "text": """{{Short description|Structure that converts wind power into rotational energy}}
{{Infobox machine
| name = Windmill
| function = machine converting wind into rotational energy
}}
A '''windmill''' is a structure that converts [[Wind power|wind energy]] into rotational energy by means of vanes called ''sails'' or ''blades''. For centuries windmills were used to mill grain, pump water, saw timber and drain low-lying land.<ref>{{cite web |title=Types of windmill |publisher=Mills Archive Trust}}</ref>

== History ==
The earliest known windmills were built in Persia, where they had vertical sails turning around a vertical axis. Windmills with horizontal axes appeared in north-western Europe in the twelfth century and spread rapidly.

=== Post mills ===
In a post mill the whole body of the mill, carrying the sails and machinery, is mounted on a single large upright post, so that it can be turned to face the wind.

=== Tower mills ===
In a tower mill only the cap carrying the sails rotates, while the body is a fixed tower of brick or stone. This design allowed much taller and more powerful mills.

== Drainage in the Netherlands ==
In the [[Netherlands]], thousands of windmills pumped water out of [[polder]]s, allowing land below sea level to be farmed. The group of mills at [[Kinderdijk]] is a [[World Heritage Site]].

{{Portal|Energy}}

== References ==
{{Reflist}}

[[Category:Windmills| ]]""",
    },
    {
        "title": "Sour dough", "ns": 0, "kind": "redirect", "target": "Sourdough",
        "text": "#REDIRECT [[Sourdough]] {{R from modification}}",
    },
    {
        "title": "Coral reef", "ns": 0, "kind": "article",
        "must_contain": ["calcium carbonate", "Coral bleaching"],
        "must_not_contain": ["Status of Coral Reefs of the World", "Great Barrier Reef Marine Park Authority"],
        "text": """{{Short description|Underwater ecosystem built by corals}}
A '''coral reef''' is an underwater [[ecosystem]] characterised by reef-building [[coral]]s. Reefs are formed of colonies of coral polyps held together by [[Calcium carbonate|calcium carbonate]]. Although they cover less than one percent of the ocean floor, coral reefs are home to about a quarter of all marine species.<ref>{{cite web |title=Status of Coral Reefs of the World |year=2020}}</ref>

== Biology ==
Most reef-building corals live in a [[Symbiosis|partnership]] with microscopic algae that live inside their tissues. The algae supply the coral with food produced by [[photosynthesis]], and in return receive shelter and nutrients. Because the algae need sunlight, reefs grow mainly in clear, shallow tropical waters.

== Types ==
Scientists usually distinguish fringing reefs, which grow close to the shore; barrier reefs, separated from the land by a lagoon; and [[atoll]]s, rings of reef surrounding a central lagoon. The largest reef system is the [[Great Barrier Reef]] off the coast of Australia.<ref name="gbr">Great Barrier Reef Marine Park Authority, Outlook Report.</ref>

== Threats ==
=== Coral bleaching ===
When the water becomes too warm, corals expel their algae and turn white. If high temperatures persist, the bleached corals may starve and die. Mass bleaching events have become much more frequent as ocean temperatures have risen.

Reefs are also threatened by [[overfishing]], pollution and [[ocean acidification]].

== References ==
{{Reflist}}

[[Category:Coral reefs| ]]""",
    },
    {
        "title": "Refracting telescope", "ns": 0, "kind": "article",
        "must_contain": ["objective lens", "Chromatic aberration"],
        "must_not_contain": ["Yerkes Observatory technical notes", "Hans Lipperhey (patent application)"],
        "text": """{{Short description|Type of optical telescope that uses a lens}}
{{Infobox invention
| name = Refracting telescope
| inventor = Hans Lipperhey (patent application)
| date = 1608
}}
A '''refracting telescope''' (also called a '''refractor''') is a type of [[optical telescope]] that uses a lens as its [[Objective (optics)|objective lens]] to form an image. The design was originally used in spyglasses and astronomical telescopes and is still used in binoculars and camera lenses.

== History ==
The first refracting telescopes appeared in the [[Netherlands]] in 1608. The following year [[Galileo Galilei]] built his own instruments and used them to discover the four large moons of [[Jupiter]], the phases of [[Venus]] and the craters of the Moon.

== Chromatic aberration ==
A simple lens bends different colours of light by different amounts, so that a bright star appears surrounded by coloured fringes. In the eighteenth century opticians solved most of this problem with the ''achromatic'' lens, which combines two types of glass.

== Large refractors ==
The largest refracting telescope ever used for research has an objective about one metre across and was completed in 1897. Larger lenses sag under their own weight, which is why modern research telescopes use mirrors instead.<ref>''Yerkes Observatory technical notes'', 1898.</ref>

== References ==
{{Reflist}}

[[Category:Telescope types]]""",
    },
    {
        "title": "Bicycle", "ns": 0, "kind": "article",
        "must_contain": ["safety bicycle", "Types"],
        "must_not_contain": ["Bicycle Design: An Illustrated History", "human-powered vehicle"],
        "text": """{{Short description|Pedal-driven two-wheel vehicle}}
{{Infobox vehicle
| name = Bicycle
| class = human-powered vehicle
| wheels = 2
}}
A '''bicycle''', or '''bike''', is a pedal-driven, single-track vehicle with two wheels attached to a frame, one behind the other. Bicycles were introduced in the nineteenth century in Europe, and today there are more than a billion of them in the world.

== History ==
The first two-wheeled vehicle steered by the rider was the ''[[Dandy horse|running machine]]'' of 1817, which was pushed along with the feet. Pedals were later attached directly to the front wheel, leading to the tall [[penny-farthing]]. In the 1880s the chain-driven [[Safety bicycle|safety bicycle]], with two wheels of similar size, gave the modern bicycle its basic shape.<ref>{{cite web |title=Bicycle Design: An Illustrated History |year=2014}}</ref>

== Types ==
{| class="wikitable"
! Type !! Typical use !! Tyres
|-
| Road bicycle || Fast riding on paved roads || Narrow, smooth
|-
| Mountain bicycle || Off-road trails || Wide, knobbly
|-
| [[Utility bicycle]] || Commuting and shopping || Medium
|-
| [[Cargo bike]] || Carrying goods or children || Medium to wide
|}

== Health and environment ==
Cycling is an efficient form of transport that produces no direct emissions. Regular cycling improves cardiovascular fitness, and many cities have built [[Segregated cycle facilities|separated cycle lanes]] to encourage it.

== References ==
{{Reflist}}

[[Category:Bicycles| ]]""",
    },
    {
        "title": "Lighthouses", "ns": 0, "kind": "redirect", "target": "Lighthouse",
        "text": "#REDIRECT [[Lighthouse]]\n{{R from plural}}",
    },
    {
        "title": "Tea", "ns": 0, "kind": "article",
        "must_contain": ["Camellia sinensis", "Processing"],
        "must_not_contain": ["Tea production statistics yearbook", "Dried leaves of Camellia sinensis"],
        "text": """{{Short description|Drink made from infusing tea leaves in water}}
{{Infobox beverage
| name = Tea
| type = Hot or cold beverage
| ingredients = {{plainlist|* Dried leaves of Camellia sinensis * Water}}
}}
'''Tea''' is an aromatic beverage prepared by pouring hot or boiling water over cured or fresh leaves of ''[[Camellia sinensis]]'', an evergreen shrub native to East Asia. After water, it is the most widely consumed drink in the world.<ref>{{cite web |title=Tea production statistics yearbook |publisher=International Tea Committee}}</ref>

== History ==
Tea drinking probably began in southwest China, where it was used as a medicinal drink. It spread through China during the [[Tang dynasty]] and later to Japan and Korea. Portuguese and Dutch traders brought tea to Europe in the sixteenth and seventeenth centuries, and it became especially popular in Britain.

== Processing ==
The main types of tea differ in how much the leaves are allowed to oxidise after picking.
{| class="wikitable"
! Type !! Oxidation !! Typical region
|-
| [[White tea]] || Very low || Fujian
|-
| [[Green tea]] || None || China, Japan
|-
| [[Oolong]] || Partial || Fujian, Taiwan
|-
| [[Black tea]] || Full || India, Sri Lanka, Kenya
|}

== Culture ==
Many countries have their own tea customs, from the Japanese [[tea ceremony]] to British afternoon tea and the sweet mint tea served in [[Morocco]].<ref name="culture" />

== References ==
{{Reflist}}

[[Category:Tea| ]]""",
    },
    {
        "title": "Olive oil", "ns": 0, "kind": "article",
        "must_contain": ["Mediterranean Basin", "Grades"],
        "must_not_contain": ["International Olive Council trade standard", "Pressed fruit of Olea europaea"],
        "text": """{{Short description|Liquid fat obtained from olives}}
{{Infobox oil
| name = Olive oil
| source = Pressed fruit of Olea europaea
}}
'''Olive oil''' is a liquid fat obtained by pressing whole [[olive]]s, the fruit of ''Olea europaea'', a traditional tree crop of the [[Mediterranean Basin]]. It is used in cooking, cosmetics, medicine and soaps, and was once widely used as fuel for oil lamps.

== Production ==
Olives are harvested in autumn and winter, cleaned and crushed into a paste, which is then mixed slowly so that small droplets of oil combine. The oil is separated from the water and solids, traditionally with presses and today mostly with centrifuges. Spain, Italy and Greece are the largest producers.

== Grades ==
Oil is graded according to how it is produced and to its acidity and taste.<ref>{{cite web |title=International Olive Council trade standard |year=2022}}</ref>
{| class="wikitable"
! Grade !! Maximum free acidity !! Notes
|-
| Extra virgin || 0.8% || Best flavour, no defects
|-
| Virgin || 2.0% || Minor defects allowed
|-
| Refined || 0.3% || Chemically treated, neutral taste
|}

== Health ==
Olive oil is a central part of the [[Mediterranean diet]] and contains mainly [[monounsaturated fat]]. Studies have linked it with a lower risk of heart disease.

== References ==
{{Reflist}}

[[Category:Olive oil| ]]
[[Category:Cooking oils]]""",
    },
    {
        "title": "Compass (disambiguation)", "ns": 0, "kind": "disambiguation",
        "text": """A '''[[compass]]''' is an instrument used for navigation and orientation.

'''Compass''' may also refer to:

== Science and technology ==
* [[Compass (drawing tool)]], a pair of compasses used for drawing circles
* [[Gyrocompass]], a non-magnetic compass
* [[Solar compass]], a surveying instrument

== Other uses ==
* [[Compass rose]], a figure on maps showing directions
* [[Compass Islands]], a group of small islands

{{disambiguation}}""",
    },
    {
        "title": "Rainbow", "ns": 0, "kind": "article",
        "must_contain": ["water droplets", "Double rainbows"],
        "must_not_contain": ["Atmospheric optics lecture notes", "Descartes, Les Météores (1637)"],
        "text": """{{Short description|Meteorological phenomenon}}
A '''rainbow''' is an optical phenomenon caused by [[Refraction|refraction]], reflection and [[Dispersion (optics)|dispersion]] of light in [[Drop (liquid)|water droplets]], which results in a spectrum of light appearing in the sky. It takes the form of a multicoloured circular arc and is always seen in the part of the sky opposite the Sun.<ref>{{cite web |title=Atmospheric optics lecture notes |publisher=University Physics Department}}</ref>

== Formation ==
When sunlight enters a raindrop, it is bent and split into its component colours, reflected off the back of the drop and bent again as it leaves. Each colour leaves the drop at a slightly different angle, about 42 degrees for red and 40 degrees for violet, so an observer sees red on the outside of the arc and violet on the inside.

== Double rainbows ==
A second, fainter arc sometimes appears outside the main one. It is produced by light that is reflected twice inside the drops, and its colours are reversed. The darker band of sky between the two arcs is called [[Alexander's band]].

== In culture ==
Rainbows appear in the mythology of many peoples, often as a bridge between the world of humans and the world of the gods. The explanation of the rainbow by [[René Descartes]] was an early success of mathematical optics.<ref>Descartes, Les Météores (1637).</ref>

== References ==
{{Reflist}}

[[Category:Atmospheric optical phenomena]]""",
    },
    {
        "title": "Salt marsh", "ns": 0, "kind": "article",
        "must_contain": ["intertidal zone", "Ecological importance"],
        "must_not_contain": ["Saltmarsh restoration handbook", "Coastal wetland"],
        "text": """{{Short description|Coastal ecosystem flooded by tides}}
{{Infobox ecosystem
| name = Salt marsh
| biome = Coastal wetland
}}
A '''salt marsh''' is a coastal ecosystem in the upper [[Intertidal zone|intertidal zone]] between land and open salt water or brackish water that is regularly flooded by the tides. It is dominated by dense stands of salt-tolerant plants such as herbs, grasses and low shrubs.

== Formation ==
Salt marshes develop on sheltered coasts where fine sediment settles out of the water, for example behind [[spit (landform)|spits]], in estuaries and in bays. Plants trap more sediment with their stems and roots, so the marsh surface slowly rises. A network of winding creeks carries the tide in and out.

== Ecological importance ==
Salt marshes are among the most productive ecosystems on Earth. They provide food and shelter for young fish, feeding grounds for wading birds and wildfowl, and they protect the coast by absorbing the energy of waves. Their soils store large amounts of carbon.<ref>{{cite web |title=Saltmarsh restoration handbook |publisher=Environment Agency |year=2019}}</ref>

== Loss and restoration ==
Large areas of marsh have been reclaimed for farming or building. In recent decades some sea walls have been deliberately breached in a practice called [[managed realignment]], allowing new marshes to form.

== References ==
{{Reflist}}

[[Category:Salt marshes| ]]""",
    },
    {
        "title": "Eurasian beaver", "ns": 0, "kind": "article",
        "must_contain": ["ecosystem engineer", "Reintroduction"],
        "must_not_contain": ["Beaver reintroduction trial final report", "Castor fiber"],
        "text": """{{Short description|Species of rodent}}
{{Speciesbox
| name = Eurasian beaver
| taxon = Castor fiber
| status = LC
}}
The '''Eurasian beaver''' is a large semi-aquatic [[rodent]] native to Europe and parts of Asia. It is the second-largest living rodent after the [[capybara]] and can weigh more than thirty kilograms. Beavers are considered an [[Keystone species|ecosystem engineer]] because their dams change rivers and create wetlands used by many other species.

== Behaviour ==
Beavers live in family groups and build lodges of sticks and mud, or dig burrows in river banks. They fell trees by gnawing through the trunk with their large, ever-growing incisors, eating the bark and using the branches to build dams. The ponds behind the dams keep the entrances to their lodges under water and safe from predators.

== Decline ==
By the early twentieth century, hunting for fur, meat and ''castoreum'', a secretion used in perfume, had reduced the population to about 1,200 animals in a few isolated areas.

== Reintroduction ==
Protection and [[Species reintroduction|reintroduction]] programmes have allowed beavers to return to most of their former range. They have been released in many European countries, including Scotland and England, where they had been extinct for centuries.<ref>''Beaver reintroduction trial final report'', 2015.</ref>

== References ==
{{Reflist}}

[[Category:Beavers]]""",
    },
    {
        "title": "Granite", "ns": 0, "kind": "article",
        "must_contain": ["intrusive igneous rock", "Composition"],
        "must_not_contain": ["Dimension stone industry review", "phaneritic"],
        "text": """{{Short description|Type of igneous rock}}
{{Infobox rock
| name = Granite
| type = Igneous
| texture = phaneritic
}}
'''Granite''' is a coarse-grained [[Intrusive rock|intrusive igneous rock]] composed mostly of [[quartz]], [[alkali feldspar]] and [[plagioclase]]. It forms from magma with a high content of silica that cools slowly deep underground, which gives the crystals time to grow large enough to be seen with the naked eye.

== Composition ==
The proportions of minerals vary, but a typical granite contains the following.
{| class="wikitable"
! Mineral !! Approximate share !! Appearance
|-
| Feldspar || 65–90% || Pink, white or grey crystals
|-
| Quartz || 20–60% || Glassy grey grains
|-
| Mica || Up to 10% || Black or silvery flakes
|}

== Occurrence ==
Granite makes up much of the [[continental crust]] and is exposed where the overlying rocks have been worn away, forming features such as the tors of [[Dartmoor]] and the domes of [[Yosemite National Park]].

== Uses ==
Because it is hard and durable, granite has been used for building since ancient times. Today it is popular for kitchen worktops, paving and memorials, and polished granite blocks are used for the stones in the sport of [[curling]].<ref>{{cite web |title=Dimension stone industry review |year=2021}}</ref>

== References ==
{{Reflist}}

[[Category:Igneous rocks]]
[[Category:Felsic rocks]]""",
    },
    {
        "title": "Wikipedia:MOS", "ns": 4, "kind": "redirect", "target": "Wikipedia:Manual of Style",
        "text": "#REDIRECT [[Wikipedia:Manual of Style]]\n\n{{R from shortcut}}",
    },
    {
        "title": "Abacus", "ns": 0, "kind": "article",
        "must_contain": ["calculating tool", "Modern use"],
        "must_not_contain": ["History of calculating devices catalogue", "Mesopotamia (disputed)"],
        "text": """{{Short description|Calculating tool}}
{{Infobox device
| name = Abacus
| origin = Mesopotamia (disputed)
}}
The '''abacus''' is a hand-operated [[Calculator|calculating tool]] that has been used since ancient times. It consists of a frame holding rods on which beads or counters are moved to represent numbers. Skilled users can add, subtract, multiply and divide very quickly, in some cases faster than a person using an electronic calculator.

== History ==
Early forms of the abacus were probably lines drawn in sand or on boards, with pebbles used as counters. The Romans used small bronze abaci with grooves, and the Chinese ''[[suanpan]]'' with beads on rods was in use by the fourteenth century at the latest.<ref>''History of calculating devices catalogue'', Science Museum.</ref>

== Types ==
{| class="wikitable"
! Name !! Region !! Beads per rod
|-
| [[Suanpan]] || China || 2 above, 5 below
|-
| [[Soroban]] || Japan || 1 above, 4 below
|-
| [[Schoty]] || Russia || 10 on each wire
|}

== Modern use ==
Although electronic calculators have replaced the abacus in most shops and offices, it is still taught in some schools in East Asia, where mental arithmetic based on an imagined abacus is practised as a competitive skill. It is also used to help blind children learn arithmetic.

== References ==
{{Reflist}}

[[Category:Mechanical calculators]]""",
    },
    {
        "title": "Lentil", "ns": 0, "kind": "article",
        "must_contain": ["edible legume", "Nutrition"],
        "must_not_contain": ["FAO crop production database", "Lens culinaris"],
        "text": """{{Short description|Species of flowering plant}}
{{Speciesbox
| name = Lentil
| taxon = Lens culinaris
}}
The '''lentil''' is an [[Legume|edible legume]]. It is an annual plant known for its lens-shaped seeds, which grow two to a pod. Lentils have been part of the human diet since the [[Neolithic]] and were among the first crops domesticated in the [[Fertile Crescent]].

== Cultivation ==
Lentils tolerate dry conditions and poor soils and are grown throughout the world. Like other legumes, the plants host bacteria in their roots that fix nitrogen from the air, so they improve the soil for the following crop. Canada and India are the largest producers.<ref>{{cite web |title=FAO crop production database |year=2022}}</ref>

== Culinary use ==
Lentils are sold in many colours, from yellow and red to green, brown and black. Red lentils break down quickly when cooked and are used in soups and the Indian dish ''[[dal]]'', while green and brown lentils keep their shape and suit salads.

== Nutrition ==
{| class="wikitable"
|+ Cooked lentils, per 100 g
! Nutrient !! Amount
|-
| Energy || 116 kcal
|-
| Protein || 9 g
|-
| Carbohydrates || 20 g
|-
| Dietary fibre || 8 g
|}

== References ==
{{Reflist}}

[[Category:Lentils| ]]""",
    },
    {
        "title": "Compass", "ns": 0, "kind": "article",
        "must_contain": ["magnetic field", "Navigation"],
        "must_not_contain": ["Needham, Science and Civilisation in China", "Song dynasty China"],
        "text": """{{Short description|Instrument used for navigation and orientation}}
{{For|other uses|Compass (disambiguation)}}
{{Infobox invention
| name = Compass
| place = Song dynasty China
}}
A '''compass''' is a device that shows the [[Cardinal direction|cardinal directions]] used for navigation and geographic orientation. It usually consists of a magnetised needle or other element, such as a compass card, that can pivot to align itself with [[Earth's magnetic field|magnetic field]] lines and point towards magnetic north.

== History ==
The first compasses were made of [[lodestone]], a naturally magnetised iron ore, and were used in China for [[geomancy]] before they were used for navigation. By the eleventh and twelfth centuries compasses were being used by sailors in China, and soon afterwards in Europe and the Islamic world.<ref>Needham, Science and Civilisation in China, vol. 4.</ref>

== Navigation ==
A compass allows a navigator to steer a constant course even when the sky is overcast. Because magnetic north differs from true north by an amount known as [[magnetic declination]], navigators must correct their readings using values printed on charts. Iron and steel on board ships also disturb the needle, an effect corrected by carefully placed magnets.

== Other compasses ==
The [[gyrocompass]] uses a rapidly spinning wheel rather than magnetism and points to true north. Modern phones contain electronic [[magnetometer]]s that act as compasses.

== References ==
{{Reflist}}

[[Category:Navigational equipment]]""",
    },
    {
        "title": "Canal lock", "ns": 0, "kind": "article",
        "must_contain": ["pound lock", "Flights and staircases"],
        "must_not_contain": ["Canal engineering through the ages", "Chiao Wei-Yo, 984"],
        "text": """{{Short description|Device for raising and lowering boats}}
{{Infobox structure
| name = Canal lock
| first = Chiao Wei-Yo, 984
}}
A '''lock''' is a device used for raising and lowering boats between stretches of water of different levels on river and [[canal]] waterways. The most common type is the [[Pound lock|pound lock]], a chamber with gates at both ends in which the water level can be changed.

== Operation ==
A boat travelling uphill enters the chamber through the open lower gates, which are then closed behind it. Sluices in the upper gates are opened, and water flows in until the level in the chamber matches the upper level. The upper gates can then be opened and the boat continues on its way. Going downhill, the process is reversed.<ref>{{cite web |title=Canal engineering through the ages |publisher=Waterways Trust}}</ref>

== History ==
Pound locks were first used in China in the tenth century. In Europe they appeared in the fourteenth century, and [[Leonardo da Vinci]] designed the mitre gates that are still used on most canals.

== Flights and staircases ==
Where a canal must climb a steep slope, several locks may be built close together in a ''flight''. In a ''staircase'', the locks are so close that the upper gates of one chamber are the lower gates of the next.

== References ==
{{Reflist}}

[[Category:Locks (water navigation)]]""",
    },
    {
        "title": "Lock", "ns": 0, "kind": "disambiguation",
        "text": """'''Lock''' may refer to:

* [[Lock and key]], a mechanical fastening device
* [[Canal lock]], a device for raising and lowering boats
* [[Lock (computer science)]], a synchronisation mechanism
* [[Lock (water navigation)]], see canal lock
* [[Lock (rugby union)]], a playing position

== See also ==
* [[Locke (disambiguation)]]
* [[Loch]]

{{Disambig}}""",
    },
    {
        "title": "European hedgehog", "ns": 0, "kind": "article",
        "must_contain": ["nocturnal", "Hibernation"],
        "must_not_contain": ["Hedgehog street survey results", "Erinaceus europaeus"],
        "text": """{{Short description|Species of mammal}}
{{Speciesbox
| name = European hedgehog
| taxon = Erinaceus europaeus
}}
The '''European hedgehog''' is a small spiny mammal found in western and northern Europe. It is mostly [[Nocturnality|nocturnal]] and is a familiar visitor to gardens, parks and hedgerows, where it feeds on beetles, caterpillars, earthworms and slugs.

== Description ==
An adult hedgehog has around five thousand spines, which are modified hairs. When threatened, the animal rolls into a tight ball so that the spines protect its head, legs and belly. Hedgehogs have poor eyesight but an excellent sense of smell and hearing.

== Hibernation ==
In northern parts of its range the hedgehog hibernates from about November to March. Its body temperature falls to a few degrees above that of its surroundings and its heart rate drops sharply. Hedgehogs build nests of leaves under hedges, log piles or sheds.

== Decline ==
Surveys suggest that numbers in Britain have fallen sharply since the end of the twentieth century, probably because of the loss of hedgerows, the use of pesticides, road traffic and fenced gardens. Conservation groups encourage householders to cut small holes in fences.<ref>''Hedgehog street survey results'', 2022.</ref>

== References ==
{{Reflist}}

[[Category:Hedgehogs]]""",
    },
    {
        "title": "Paper", "ns": 0, "kind": "article",
        "must_contain": ["cellulose fibres", "Papermaking"],
        "must_not_contain": ["Hunter, Papermaking: The History and Technique", "Cai Lun (traditionally credited)"],
        "text": """{{Short description|Thin material for writing and packaging}}
{{Infobox material
| name = Paper
| inventor = Cai Lun (traditionally credited)
}}
'''Paper''' is a thin sheet material produced by pressing together moist [[Cellulose|cellulose fibres]] derived from wood, rags or grasses, and drying them into flexible sheets. It is used for writing, drawing, printing, packaging, cleaning and many other purposes.

== History ==
Paper was developed in China during the [[Han dynasty]]. Its invention is traditionally attributed to the court official [[Cai Lun]] in the year 105, although older fragments have been found. The craft spread along trade routes to the Islamic world in the eighth century and reached Europe by the twelfth century.<ref>Hunter, Papermaking: The History and Technique of an Ancient Craft.</ref>

== Papermaking ==
Traditional papermakers beat plant fibres in water to make a pulp, then lifted a thin layer of it on a fine screen. The water drained away, leaving a mat of fibres that was pressed and dried. Modern paper machines work on the same principle but use wood pulp and produce continuous rolls many metres wide at high speed.

== Recycling ==
Paper fibres can be recycled several times before they become too short to bind together. Recycled paper now makes up a large share of the material used for newspapers and cardboard.

== References ==
{{Reflist}}

[[Category:Paper| ]]""",
    },
    {
        "title": "Talk:Lighthouse", "ns": 1, "kind": "non_article_namespace",
        "text": """{{Talk header}}
{{WikiProject banner shell|class=B|
{{WikiProject Architecture|importance=mid}}
}}

== Keeper numbers ==
The history section says that resident keepers were no longer needed, but some rock stations kept relief crews into the 1990s. Should we mention that? [[User:Harbourmaster42|Harbourmaster42]] ([[User talk:Harbourmaster42|talk]]) 09:14, 4 March 2024 (UTC)
:Good point, a sentence with a source would help. [[User:Lampwick|Lampwick]] ([[User talk:Lampwick|talk]]) 11:02, 4 March 2024 (UTC)""",
    },
    {
        "title": "Sundial", "ns": 0, "kind": "article",
        "must_contain": ["apparent solar time", "The gnomon"],
        "must_not_contain": ["British Sundial Society bulletin", "Ancient Egypt and Babylon"],
        "text": """{{Short description|Device that tells time using the position of the Sun}}
{{Infobox instrument
| name = Sundial
| origin = Ancient Egypt and Babylon
}}
A '''sundial''' is a device that tells the time of day by the apparent position of the [[Sun]] in the sky. In the narrowest sense it consists of a flat plate and a [[gnomon]] that casts a shadow onto the plate, which is marked with hour lines. Sundials show [[Solar time|apparent solar time]], which can differ from clock time by up to about a quarter of an hour over the course of the year.

== The gnomon ==
The shadow-casting edge of the gnomon must be parallel to the Earth's axis of rotation for the dial to be accurate throughout the year. It therefore points towards the celestial pole, and its angle with the horizontal equals the [[latitude]] of the place where the dial stands.

== History ==
Shadow clocks were used in [[Ancient Egypt]] around 1500 BC, and the Greeks and Romans built elaborate dials on public buildings. Sundials remained the main way of checking clocks until the spread of telegraph time signals in the nineteenth century.<ref>''British Sundial Society bulletin'', 2008.</ref>

== Types ==
Common types include horizontal dials in gardens, vertical dials on the walls of churches and houses, and portable dials that travellers could carry in a pocket.

== References ==
{{Reflist}}

[[Category:Sundials| ]]""",
    },
    {
        "title": "Barometer", "ns": 0, "kind": "article",
        "must_contain": ["atmospheric pressure", "Aneroid barometers"],
        "must_not_contain": ["Middleton, The History of the Barometer", "Evangelista Torricelli, 1643"],
        "text": """{{Short description|Instrument for measuring atmospheric pressure}}
{{Infobox instrument
| name = Barometer
| inventor = Evangelista Torricelli, 1643
}}
A '''barometer''' is a scientific instrument used to measure [[Atmospheric pressure|atmospheric pressure]]. Changes in pressure can be used to forecast short-term changes in the weather: falling pressure often signals the approach of clouds and rain, while rising pressure usually brings fair weather.

== Mercury barometers ==
The first barometer was made in Italy in the seventeenth century by filling a long glass tube with mercury and turning it upside down in a dish. The column of mercury fell until its weight was balanced by the pressure of the air on the dish, leaving an empty space at the top of the tube. At sea level the column stands at about 760 millimetres.<ref>Middleton, The History of the Barometer, 1964.</ref>

== Aneroid barometers ==
An aneroid barometer uses a small, flexible metal box from which most of the air has been removed. The box expands and contracts as the outside pressure changes, and levers and springs turn these tiny movements into the motion of a needle on a dial. Aneroid barometers are compact and contain no liquid, which made them popular in homes and on ships.

== Uses ==
Barometers are also used as [[altimeter]]s, since pressure falls with height. Modern weather stations and many smartphones contain small electronic pressure sensors.

== References ==
{{Reflist}}

[[Category:Meteorological instrumentation and equipment]]""",
    },
    {
        "title": "Template:Infobox river", "ns": 10, "kind": "non_article_namespace",
        "text": """{{Infobox
| bodyclass = vcard
| above = {{{name|{{PAGENAME}}}}}
| image = {{#if:{{{image|}}}|[[File:{{{image}}}|frameless]]}}
| label1 = Country
| data1 = {{{country|}}}
| label2 = Length
| data2 = {{{length|}}}
| label3 = Source
| data3 = {{{source|}}}
| label4 = Mouth
| data4 = {{{mouth|}}}
}}<noinclude>
{{Documentation}}
</noinclude>""",
    },
    {
        "title": "Magnetic compass", "ns": 0, "kind": "redirect", "target": "Compass",
        "text": "#REDIRECT [[Compass#Navigation]]",
    },
    {
        "title": "Thomas Reed", "ns": 0, "kind": "disambiguation",
        "text": """'''Thomas Reed''' may refer to:

* [[Thomas Reed (engineer)]] (1810–1871), builder of canal locks
* [[Thomas Reed (painter)]] (born 1952), landscape painter
* [[Thomas Reed (footballer)]] (1899–1960), English footballer

{{hndis|Reed, Thomas}}""",
    },
    {
        "title": "Category:Igneous rocks", "ns": 14, "kind": "non_article_namespace",
        "text": """{{Commons category|Igneous rocks}}
{{Cat main|Igneous rock}}
This category contains articles about '''igneous rocks''', which form through the cooling and solidification of magma or lava.

[[Category:Rocks by type]]""",
    },
]
