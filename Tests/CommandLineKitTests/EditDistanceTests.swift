import CommandLineKit
import Testing

@Suite struct EditDistanceTests {
    @Test(arguments: [
        ("", "", 0), ("", "abc", 3), ("abc", "", 3), ("search", "search", 0),
        ("serch", "search", 1), ("speker", "speaker", 1), ("kitten", "sitting", 3),
        ("jsno", "json", 1), ("ab", "ba", 1), ("ca", "abc", 3), ("étè", "été", 1),
    ])
    func distance(source: String, target: String, expected: Int) {
        #expect(EditDistance.between(source, target) == expected)
        #expect(EditDistance.between(target, source) == expected)
    }

    @Test func suggestions() {
        let names = ["speaker", "from", "limit", "tag", "json"]
        #expect(EditDistance.suggestion(for: "speker", among: names) == "speaker")
        #expect(EditDistance.suggestion(for: "lmit", among: names) == "limit")
        #expect(EditDistance.suggestion(for: "foo", among: names) == nil)
        #expect(EditDistance.suggestion(for: "x", among: ["y"]) == nil)
        #expect(EditDistance.suggestion(for: "zzzzzz", among: names) == nil)
        #expect(EditDistance.suggestion(for: "tga", among: ["tag", "tab"]) == "tag")
    }
}
