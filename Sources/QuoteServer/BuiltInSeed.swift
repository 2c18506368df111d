/// The sample quotes a new data directory is seeded with: the seven quotes of the July 2025
/// article about Meta's superintelligence lab, as `scripts/seed-quotes.jsonl` holds them.
///
/// Built into the binary, so an installed `quoted` started anywhere seeds the same quotes;
/// `--seed FILE` still seeds from a file instead. `BuiltInSeedTests` checks that this text
/// and the file are byte for byte the same: edit the file, then paste it here.
enum BuiltInSeed {
    static let jsonLines = #"""
{"text": "quelqu'un s'est faufilé dans notre maison et a volé quelque chose", "speaker": "Mark Chen", "date": "2025-06-28", "source": "Wired (OpenAI internal memo)", "lang": "fr", "tags": ["ai", "openai", "meta", "talent"]}
{"text": "I feel a visceral feeling right now, as if someone has broken into our home and stolen something.", "speaker": "Mark Chen", "date": "2025-06-28", "source": "Wired (OpenAI internal memo)", "lang": "en", "tags": ["ai", "openai", "meta", "talent"]}
{"text": "parlaient à contre-liés avec ceux qui ont des offres", "speaker": "Mark Chen", "date": "2025-06-28", "source": "Wired (OpenAI internal memo)", "lang": "fr", "tags": ["ai", "openai", "meta", "talent"]}
{"text": "il est très probable que de nombreuses entreprises soient surdimensionnées (leurs investissements dans l'IA). Mais, d'autre part, je pense que toutes les entreprises qui investissent prennent une décision rationnelle, car l'inconvénient d'être laissé pour compte est que vous pouvez rester à l'extérieur avec la technologie la plus importante des 10 à 15 prochaines années.", "speaker": "Mark Zuckerberg", "date": "2024", "source": "Simseo", "lang": "fr", "tags": ["ai", "meta", "investment"]}
{"text": "Meta dépenserait « des centaines de milliards de dollars » dans des projets d'IA dans les années à venir.", "speaker": "Mark Zuckerberg", "date": "2025", "source": "Bloomberg", "lang": "fr", "tags": ["ai", "meta", "investment"]}
{"text": "en parallèle, nous commencerons à enquêter dans notre prochaine génération de modèles", "speaker": "Mark Zuckerberg", "date": "2025-06-30", "source": "Bloomberg (Meta internal memo)", "lang": "fr", "tags": ["ai", "meta", "llama", "superintelligence"]}
{"text": "avoir des salaires milliardaires peut être contre-productif dans la Meta Mission", "speaker": "Chon Tang", "date": "2025", "source": "Simseo", "lang": "fr", "tags": ["ai", "meta", "talent", "salaries"]}
"""# + "\n"
}
