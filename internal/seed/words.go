package seed

// The words of seeded entries: plausible, calm, and about nobody real. Lists
// that follow a year run from the heavier early months to the steadier later
// ones; the seeder leans towards later lines as the year goes on.

// firstNames are invented people's first names, neither partner labelled.
var firstNames = []string{
	"Robin", "Sam", "Alex", "Jordan", "Morgan", "Casey", "Riley", "Jamie", "Quinn", "Avery",
	"Rowan", "Sage", "Ellis", "Noor", "Kai", "Remy", "Shay", "Tamsin", "Idris", "Marlo",
	"Lior", "Anya", "Tobin", "Wren", "Esme", "Nico", "Ren", "Oren", "Lena", "Milo",
	"Ines", "Teo", "Dara", "Hollis", "Mira", "Jules", "Arden", "Cleo", "Emery", "Pia",
}

// Therapists' invented names are made of these parts, no two alike for the
// first hundred.
var (
	therapistFirst = []string{"Ash", "Bea", "Corin", "Dell", "Edie", "Flynn", "Greer", "Halle", "Ivo", "Jess"}
	therapistLast  = []string{"Calloway", "Linden", "Vale", "Marston", "Farrow", "Hartwell", "Ashdown", "Brightwater", "Penrose", "Oakridge"}
	therapistCred  = []string{"LMFT", "PsyD", "MFT", "LCSW", "PhD", "LPC", "MSc"}
)

// timeZones are the partners' zones, one per couple, in turn.
var timeZones = []string{
	"Europe/Berlin", "Europe/London", "America/New_York", "America/Chicago", "Europe/Madrid",
	"Australia/Sydney", "America/Toronto", "Europe/Stockholm", "Asia/Singapore", "Africa/Johannesburg",
}

var checkinFeel = []string{
	"Raw. The images keep coming back when I least expect them.",
	"Numb most of the day, then suddenly very sad in the evening.",
	"Tired and on edge. I slept badly again.",
	"Angry, and then guilty for being angry.",
	"Heavy, but we talked without shouting tonight.",
	"Unsure. Some moments felt almost normal, which was strange.",
	"A bit lighter than yesterday.",
	"Calmer. Work kept my mind busy.",
	"Hopeful for a few hours, then wobbly again, and that is okay.",
	"Steady today. I noticed I laughed at dinner.",
	"Closer to you than I have felt in a long time.",
	"Settled. Tired in an ordinary way.",
}

var checkinNeed = []string{
	"Patience when I ask the same question again.",
	"To hear that you are not going anywhere.",
	"A quiet evening without talking about it.",
	"Honest answers, even the short ones.",
	"A walk together after work.",
	"Some time alone on Saturday morning, without it meaning anything bad.",
	"A hug when I get home.",
	"To plan something small for the weekend.",
	"Our talk time on Sunday, and the rest of the week off.",
	"To keep going like this.",
}

var checkinWorry = []string{
	"That I will never stop checking.",
	"That there is more I do not know yet.",
	"That I am pushing you away when I am this tired.",
	"The work trip next month.",
	"That the kids notice more than we think.",
	"Whether I am healing fast enough.",
	"That a bad day means we are back at the start.",
	"Money, mostly, not us.",
}

var checkinAppreciate = []string{
	"You answered my question without getting defensive.",
	"You made tea before I asked.",
	"You told me about the message before I saw it.",
	"You came home when you said you would.",
	"You listened until I had finished.",
	"You left your phone on the table all evening.",
	"You said sorry for the right thing, not just for everything.",
	"You remembered the appointment with our therapist.",
	"You held my hand on the walk.",
	"You let me have a quiet morning.",
	"You laughed at my terrible joke.",
	"You planned Saturday without me asking.",
}

// setbackNotes are the short notes of setbacks.
var setbackNotes = []string{
	"A hard weekend. We argued about the old messages.",
	"I checked your phone again. I told you afterwards.",
	"The anniversary hit harder than I expected.",
	"We stopped talking for two days.",
	"An old friend mentioned it, and everything came back.",
	"",
}

var ackBodies = []string{
	"Thank you for telling me.",
	"I read this. I'm here.",
	"That means a lot to me.",
	"I hear you. Let's talk on Sunday.",
	"I'm glad today was a bit lighter.",
	"I noticed that too.",
}

// commitment is one kind of promise a partner may make.
type commitment struct {
	title, details string
	rhythm         string // daily, weekdays, weekly, each_time
	weekdays       int16  // bit 0 Monday … bit 6 Sunday, for weekdays
	forHurt        bool   // made by the partner who was hurt
	visibility     string // partner or therapist
}

// commitments come first for the partner who broke trust (five or more of
// them), then for the partner who was hurt.
var commitments = []commitment{
	{"Share my phone openly when asked", "If you ask to see my phone, I hand it over without sighing or explaining.", "each_time", 0, false, "therapist"},
	{"Tell you where I am if plans change", "A short message as soon as I know I will be somewhere else or later.", "each_time", 0, false, "partner"},
	{"Home by 7 or I call", "On work days I am home by seven, or I call before then to say why.", "weekdays", 0b0011111, false, "therapist"},
	{"Answer questions honestly, even small ones", "No softened versions. If I don't know, I say I don't know.", "daily", 0, false, "therapist"},
	{"No contact with the person involved", "If they contact me, I do not answer and I tell you the same day.", "daily", 0, false, "therapist"},
	{"Tell you about any purchase over $50 before I make it", "", "each_time", 0, false, "partner"},
	{"A proper check-in conversation on Sunday evening", "Thirty minutes, phones away, at the kitchen table.", "weekly", 0, false, "partner"},
	{"Walk together after dinner", "Even ten minutes counts. No hard topics on the walk.", "weekdays", 0b0010101, false, "partner"},
	{"Say when I need a pause in a hard conversation", "I say 'I need a pause' and when we will come back to it, instead of leaving the room.", "each_time", 0, true, "therapist"},
	{"Do one thing just for me each week", "A class, a run or an evening with a friend, without feeling guilty.", "weekly", 0, true, "partner"},
	{"Keep questions about the past to our talk time", "If a question comes up during the week, I write it down for Sunday.", "daily", 0, true, "therapist"},
}

var logNotesKept = []string{
	"", "", "", "",
	"Done.",
	"It felt easier today.",
	"I did it before you had to ask.",
	"Harder than I expected, but done.",
}

var logNotesMissed = []string{
	"I forgot, and I told you as soon as I realised. I'm sorry.",
	"I got defensive instead. I want to own that.",
	"Work ran late and I did not call in time. I'll set a reminder.",
	"I avoided it because I was tired. That's on me.",
}

var logNotesPartly = []string{
	"I did it, but later than I said.",
	"I started well and then got short with you.",
	"Half of it: I'll finish tomorrow.",
}

var responseBodies = []string{
	"", "", "",
	"I saw this. Thank you.",
	"I noticed, and it helped.",
	"Thank you for owning it.",
}

// triggerTexts are grouped by category: what happened, what I felt, what
// helped, what I need.
type triggerText struct{ category, what, felt, helped, need string }

var triggerTexts = []triggerText{
	{"media", "Saw a message notification light up your phone", "My stomach dropped", "You showed me who it was", "To see it without asking, for now"},
	{"media", "A scene in a film about an affair", "Shaky and hot", "Pausing it and stepping outside", "To skip those films for a while"},
	{"media", "A song from that summer came on the radio", "Sad, very suddenly", "Changing the station", "A hug, no questions"},
	{"place", "Drove past the hotel", "Sick and angry", "Breathing slowly at the traffic lights", "To take the other road with me"},
	{"place", "Walked past the café where you used to meet", "Cold all over", "Calling you", "For you to answer when I call"},
	{"person", "Someone at work has the same name", "Jumpy for the rest of the meeting", "A short walk at lunch", "Nothing, just to tell you"},
	{"person", "A friend asked how we are doing", "Exposed", "Changing the subject", "To agree together what we tell people"},
	{"date", "It's a month since I found out", "Heavy all day", "Writing it down", "Some time together tonight"},
	{"date", "Your birthday plans reminded me of last year", "Confused and sad", "Talking it through", "To plan this one together"},
	{"behaviour", "You went quiet and turned your screen away", "Suspicious, then ashamed of it", "You explained straight away", "Reassurance, said out loud"},
	{"behaviour", "You came home later than you said", "Panicky", "Your message when you left", "A message if plans change"},
	{"time", "Late evening when you are out", "Restless", "Reading in bed", "A message when you are on your way"},
	{"time", "Waking at 3 am", "Alone with the pictures in my head", "Getting up for a glass of water", "To wake you if it is bad"},
	{"other", "Found an old receipt in a coat pocket", "Dizzy", "Putting it on the table and talking", "To go through the old things together"},
}

var triggerChoices = []string{"here", "talk", "space", "here"}

var triggerResponseBodies = []string{
	"I'm here. I'm not going anywhere.",
	"I'm sorry this came back today.",
	"Thank you for telling me instead of carrying it alone.",
	"Let's talk about it after dinner.",
	"",
}

var triggerResponseDid = []string{
	"Showed my phone",
	"Came home early",
	"Made us dinner and stayed close",
	"Called as soon as I saw the message",
	"",
	"",
}

var contextWhat = []string{"affair", "emotional_affair", "lying", "hidden_spending", "addiction", "affair"}

var contextDetails = []string{
	"We want to stay together and don't know how yet.",
	"Our therapist suggested we keep a daily record.",
	"It came out all at once and we are still finding our feet.",
	"",
}
