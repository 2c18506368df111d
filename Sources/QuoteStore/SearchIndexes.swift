/// Every search index the archive keeps; `ArchiveState` holds one of these.
struct SearchIndexes {
    /// Speakers: names, their folded keys and each key's quotes in (date, id) order.
    var speakers = SpeakerIndex()
    /// The folded words of the texts, each with its posting list.
    var words = TermIndex(capacity: 1 << 16)
    /// Tags, each with its posting list.
    var tags = TermIndex()
    /// Language codes; each entry holds its language's id.
    var languages = LanguageIndex()
    /// Quotes by (year, month), each bucket in (date, id) order.
    var dates = DateIndex()
    /// Ordinals in id order, for id prefixes.
    var idOrder = IDOrder()

    /// Every index the snapshot saves, by section name: a new index adds its line here.
    static var registered: [IndexRegistration] {
        [
            IndexRegistration("speakers", \.speakers),
            IndexRegistration("words", \.words),
            IndexRegistration("tags", \.tags),
            IndexRegistration("languages", \.languages),
            IndexRegistration("dates", \.dates),
            IndexRegistration("id-order", \.idOrder),
        ]
    }
}
