package mend

import "time"

// SafetyQuestion is one question of the private safety check. An empty
// answer means "I'd rather not say".
type SafetyQuestion struct {
	Key, Text, Hint string
	Options         []struct{ Value, Label string }
	// Worrying lists the answers that lead to help.
	Worrying []string
	// Crisis marks the question about ending one's life: a worrying answer
	// puts the crisis lines before the domestic abuse lines.
	Crisis bool
}

// SafetyQuestions are the questions of the safety check, in order. Their
// keys are the columns of safety_checks.
var SafetyQuestions = []SafetyQuestion{
	{Key: "afraid", Text: "Do you ever feel afraid of your partner?",
		Options:  []struct{ Value, Label string }{{"no", "No"}, {"sometimes", "Sometimes"}, {"often", "Often"}},
		Worrying: []string{"sometimes", "often"}},
	{Key: "harmed", Text: "Has your partner hurt, threatened or controlled you?",
		Hint:     "Controlling can mean checking your phone or money, choosing whom you see, or making you afraid to say no.",
		Options:  []struct{ Value, Label string }{{"no", "No"}, {"unsure", "I'm not sure"}, {"yes", "Yes"}},
		Worrying: []string{"unsure", "yes"}},
	{Key: "safe_home", Text: "Do you feel safe at home right now?",
		Options:  []struct{ Value, Label string }{{"yes", "Yes"}, {"unsure", "I'm not sure"}, {"no", "No"}},
		Worrying: []string{"unsure", "no"}},
	{Key: "ending_life", Text: "Have you had thoughts of ending your life?", Hint: "In the last few weeks.",
		Options:  []struct{ Value, Label string }{{"no", "No"}, {"sometimes", "Sometimes"}, {"often", "Often"}},
		Worrying: []string{"sometimes", "often"}, Crisis: true},
}

// SafetyKeys returns the keys of the safety check's questions, in order:
// the form's field names.
func SafetyKeys() []string {
	keys := make([]string, len(SafetyQuestions))
	for i, q := range SafetyQuestions {
		keys[i] = q.Key
	}
	return keys
}

// SafetyCheck is one check a person took, or one offer they set aside.
// Only that person ever reads it.
type SafetyCheck struct {
	ID        int64
	At        time.Time
	Dismissed bool
	// Answers maps a question's key to its answer; a key is missing when
	// the person preferred not to say.
	Answers map[string]string
}

// Worrying reports whether any answer should lead to help.
func (c *SafetyCheck) Worrying() bool { return c.worry(false) || c.worry(true) }

// Crisis reports whether an answer about ending one's life is worrying.
func (c *SafetyCheck) Crisis() bool { return c.worry(true) }

// Abuse reports whether an answer about the partner is worrying.
func (c *SafetyCheck) Abuse() bool { return c.worry(false) }

func (c *SafetyCheck) worry(crisis bool) bool {
	for _, q := range SafetyQuestions {
		if q.Crisis != crisis {
			continue
		}
		for _, w := range q.Worrying {
			if c.Answers[q.Key] == w {
				return true
			}
		}
	}
	return false
}

// TherapistFlag is a partner's content-free request to their therapist:
// "Name would like to talk to you alone".
type TherapistFlag struct {
	ID       int64
	CoupleID int64
	UserID   int64
	Name     string // the sender's name
	SentAt   time.Time
}
