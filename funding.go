package tinhso

// FundingLine is a budget source and amount of a document; lines form a tree whose
// children add up to their parent.
type FundingLine struct {
	ID       int64  `json:"id"`
	Key      string `json:"key"`
	Document string `json:"document"`
	Parent   string `json:"parent"`
	Label    string `json:"label"`
	// AmountMillionVND is in millions of đồng, as the documents write them.
	AmountMillionVND int64          `json:"amount_million_vnd"`
	AmountText       string         `json:"amount_text"`
	Source           *Source        `json:"source,omitempty"`
	Children         []*FundingLine `json:"children,omitempty"`
	// ChildrenSum is the sum of the children's amounts; Balanced tells whether it is the
	// line's own amount (always true for a line without children).
	ChildrenSum int64 `json:"children_sum"`
	Balanced    bool  `json:"balanced"`
}

// FundingTree links flat lines into trees, returns the roots, and checks the sums.
func FundingTree(lines []*FundingLine) []*FundingLine {
	byKey := map[string]*FundingLine{}
	for _, l := range lines {
		l.Children = nil
		byKey[l.Key] = l
	}
	var roots []*FundingLine
	for _, l := range lines {
		if p, ok := byKey[l.Parent]; ok && l.Parent != "" {
			p.Children = append(p.Children, l)
		} else {
			roots = append(roots, l)
		}
	}
	var sum func(l *FundingLine)
	sum = func(l *FundingLine) {
		l.ChildrenSum = 0
		for _, c := range l.Children {
			sum(c)
			l.ChildrenSum += c.AmountMillionVND
		}
		l.Balanced = len(l.Children) == 0 || l.ChildrenSum == l.AmountMillionVND
		if len(l.Children) == 0 {
			l.ChildrenSum = l.AmountMillionVND
		}
	}
	for _, r := range roots {
		sum(r)
	}
	return roots
}
