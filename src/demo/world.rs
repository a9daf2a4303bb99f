//! Where the diaspora lives: countries with their real cities, how names are written there,
//! and the local words (given names, surnames, company suffixes) the generator needs.

/// How a person's name is written, which depends on the community more than the country.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Hong Kong government spelling, optional English first name (David Wong Chi-ming).
    Cantonese,
    /// North American Siyi families: Taishanese surname spellings (Hom, Der, Louie).
    Taishanese,
    /// Macau government spelling (Chan Weng Kit, Vong, Lei).
    Macau,
    /// Latin American: Spanish or Portuguese given name and two surnames (Erasmo Wong Lu).
    Spanish,
    /// Southeast Asian dialect spellings (Hokkien, Teochew, Hakka, Indonesian).
    Dialect,
    /// Vietnamese readings of the characters (Trần Chí Minh).
    Vietnamese,
    /// Mainland pinyin, passport style (ZHANG Wei, Huang Zhiming).
    Pinyin,
    /// Taiwan's Wade-Giles, hyphenated (Chang Chih-ming).
    WadeGiles,
}

/// Which list of local given names a country uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Western {
    English,
    Spanish,
    Portuguese,
    French,
    Dutch,
    German,
    Italian,
    Indonesian,
    Thai,
}

/// Which hometown county dominates a community.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bias {
    None,
    Taishan,
    Enping,
}

pub struct City {
    pub en: &'static str,
    /// As overseas communities write it (三藩市, 羅省, 域多利).
    pub hant: &'static str,
    /// As the mainland writes it (旧金山, 洛杉矶, 维多利亚).
    pub hans: &'static str,
}

const fn c(en: &'static str, hant: &'static str, hans: &'static str) -> City {
    City { en, hant, hans }
}

pub struct Country {
    pub code: &'static str,
    /// For "… in the Philippines" style names.
    pub en: &'static str,
    pub hant: &'static str,
    pub hans: &'static str,
    /// Relative share of the people.
    pub weight: u32,
    pub calling: &'static str,
    /// Local languages (BCP 47), most used first.
    pub langs: &'static [&'static str],
    pub western: Western,
    pub styles: &'static [(Style, u32)],
    /// The word surnames.csv uses to tag spellings from this country (`Peru`, `USA`).
    pub tag: Option<&'static str>,
    pub legal: &'static str,
    pub bias: Bias,
    /// The main Chinese community city first.
    pub cities: &'static [City],
}

impl Country {
    /// Newer communities (mainland migrants, students) write Chinese in simplified characters.
    pub fn mostly_simplified(&self) -> bool {
        self.styles.iter().find(|(s, _)| *s == Style::Pinyin).is_some_and(|(_, w)| *w >= 50)
    }
}

const US_STYLES: &[(Style, u32)] = &[
    (Style::Taishanese, 55),
    (Style::Cantonese, 18),
    (Style::Pinyin, 16),
    (Style::Vietnamese, 4),
    (Style::WadeGiles, 4),
    (Style::Dialect, 3),
];
const CA_STYLES: &[(Style, u32)] = &[
    (Style::Taishanese, 45),
    (Style::Cantonese, 30),
    (Style::Pinyin, 18),
    (Style::Vietnamese, 4),
    (Style::WadeGiles, 3),
];
const HK_STYLES: &[(Style, u32)] = &[(Style::Cantonese, 94), (Style::Pinyin, 6)];
const MO_STYLES: &[(Style, u32)] = &[(Style::Macau, 90), (Style::Pinyin, 10)];
const AU_STYLES: &[(Style, u32)] = &[
    (Style::Cantonese, 55),
    (Style::Pinyin, 25),
    (Style::Dialect, 8),
    (Style::Vietnamese, 7),
    (Style::Taishanese, 5),
];
const NZ_STYLES: &[(Style, u32)] = &[(Style::Cantonese, 65), (Style::Pinyin, 25), (Style::Taishanese, 10)];
const OLD_ANGLO: &[(Style, u32)] = &[(Style::Cantonese, 70), (Style::Pinyin, 30)];
const NEW_ANGLO: &[(Style, u32)] = &[(Style::Cantonese, 40), (Style::Pinyin, 60)];
const LATAM: &[(Style, u32)] = &[(Style::Spanish, 80), (Style::Cantonese, 15), (Style::Pinyin, 5)];
const LATAM_NEWER: &[(Style, u32)] = &[(Style::Spanish, 60), (Style::Cantonese, 30), (Style::Pinyin, 10)];
const BR_STYLES: &[(Style, u32)] = &[(Style::Spanish, 70), (Style::Cantonese, 15), (Style::Pinyin, 15)];
const STRAITS: &[(Style, u32)] = &[(Style::Dialect, 60), (Style::Cantonese, 30), (Style::Pinyin, 10)];
const SE_ASIA: &[(Style, u32)] = &[(Style::Dialect, 85), (Style::Pinyin, 15)];
const MM_STYLES: &[(Style, u32)] = &[(Style::Dialect, 60), (Style::Cantonese, 20), (Style::Pinyin, 20)];
const VN_STYLES: &[(Style, u32)] = &[(Style::Vietnamese, 70), (Style::Cantonese, 30)];
const FR_STYLES: &[(Style, u32)] = &[
    (Style::Pinyin, 35),
    (Style::Cantonese, 30),
    (Style::Vietnamese, 25),
    (Style::Dialect, 10),
];
const NL_STYLES: &[(Style, u32)] = &[(Style::Cantonese, 50), (Style::Pinyin, 40), (Style::Dialect, 10)];
const EUROPE: &[(Style, u32)] = &[(Style::Pinyin, 70), (Style::Cantonese, 30)];
const FRANCOPHONE_ISLANDS: &[(Style, u32)] = &[(Style::Cantonese, 55), (Style::Pinyin, 45)];
const EAST_ASIA: &[(Style, u32)] = &[(Style::Pinyin, 80), (Style::Cantonese, 20)];
const TW_STYLES: &[(Style, u32)] = &[(Style::WadeGiles, 85), (Style::Pinyin, 15)];
const NEW_MIGRANTS: &[(Style, u32)] = &[(Style::Pinyin, 85), (Style::Cantonese, 15)];
const CN_STYLES: &[(Style, u32)] = &[(Style::Pinyin, 100)];

const E: Western = Western::English;

#[rustfmt::skip]
pub const COUNTRIES: &[Country] = &[
    Country { code: "US", en: "the United States", hant: "美國", hans: "美国", weight: 2300, calling: "1", langs: &["en"], western: E, styles: US_STYLES, tag: Some("USA"), legal: "Inc.", bias: Bias::Taishan, cities: &[
        c("San Francisco", "三藩市", "旧金山"), c("New York", "紐約", "纽约"), c("Los Angeles", "羅省", "洛杉矶"),
        c("Oakland", "屋崙", "奥克兰"), c("Sacramento", "沙加緬度", "萨克拉门托"), c("Seattle", "西雅圖", "西雅图"),
        c("Chicago", "芝加哥", "芝加哥"), c("Boston", "波士頓", "波士顿"), c("Honolulu", "檀香山", "檀香山"),
        c("Houston", "休斯頓", "休斯敦"), c("Philadelphia", "費城", "费城"), c("Washington", "華盛頓", "华盛顿"),
        c("Stockton", "士德頓", "斯托克顿"), c("Portland", "砵崙", "波特兰"), c("San Jose", "聖荷西", "圣何塞"),
        c("Las Vegas", "拉斯維加斯", "拉斯维加斯"), c("Phoenix", "鳳凰城", "凤凰城")] },
    Country { code: "CA", en: "Canada", hant: "加拿大", hans: "加拿大", weight: 1050, calling: "1", langs: &["en", "fr"], western: E, styles: CA_STYLES, tag: None, legal: "Inc.", bias: Bias::Taishan, cities: &[
        c("Vancouver", "溫哥華", "温哥华"), c("Toronto", "多倫多", "多伦多"), c("Victoria", "域多利", "维多利亚"),
        c("Montreal", "滿地可", "蒙特利尔"), c("Calgary", "卡加利", "卡尔加里"), c("Edmonton", "愛民頓", "埃德蒙顿"),
        c("Winnipeg", "溫尼辟", "温尼伯"), c("Ottawa", "渥太華", "渥太华"), c("Markham", "萬錦", "万锦"),
        c("Richmond", "列治文", "列治文")] },
    Country { code: "HK", en: "Hong Kong", hant: "香港", hans: "香港", weight: 850, calling: "852", langs: &["en"], western: E, styles: HK_STYLES, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Hong Kong", "香港", "香港"), c("Kowloon", "九龍", "九龙"), c("Sha Tin", "沙田", "沙田"),
        c("Tsuen Wan", "荃灣", "荃湾"), c("Yuen Long", "元朗", "元朗"), c("Tuen Mun", "屯門", "屯门")] },
    Country { code: "AU", en: "Australia", hant: "澳洲", hans: "澳大利亚", weight: 450, calling: "61", langs: &["en"], western: E, styles: AU_STYLES, tag: Some("Australia"), legal: "Pty Ltd", bias: Bias::None, cities: &[
        c("Sydney", "悉尼", "悉尼"), c("Melbourne", "墨爾本", "墨尔本"), c("Brisbane", "布里斯本", "布里斯班"),
        c("Perth", "珀斯", "珀斯"), c("Adelaide", "阿德萊德", "阿德莱德"), c("Darwin", "達爾文", "达尔文"),
        c("Canberra", "坎培拉", "堪培拉"), c("Hobart", "荷伯特", "霍巴特")] },
    Country { code: "MY", en: "Malaysia", hant: "馬來西亞", hans: "马来西亚", weight: 280, calling: "60", langs: &["ms", "en"], western: E, styles: STRAITS, tag: Some("Malaysia"), legal: "Sdn Bhd", bias: Bias::None, cities: &[
        c("Kuala Lumpur", "吉隆坡", "吉隆坡"), c("Ipoh", "怡保", "怡保"), c("George Town", "喬治市", "乔治市"),
        c("Johor Bahru", "新山", "新山"), c("Seremban", "芙蓉", "芙蓉"), c("Kuching", "古晉", "古晋"),
        c("Kota Kinabalu", "亞庇", "亚庇"), c("Malacca", "馬六甲", "马六甲")] },
    Country { code: "MO", en: "Macau", hant: "澳門", hans: "澳门", weight: 240, calling: "853", langs: &["pt"], western: Western::Portuguese, styles: MO_STYLES, tag: Some("Macau"), legal: "Lda.", bias: Bias::None, cities: &[
        c("Macau", "澳門", "澳门"), c("Taipa", "氹仔", "氹仔"), c("Coloane", "路環", "路环")] },
    Country { code: "PE", en: "Peru", hant: "秘魯", hans: "秘鲁", weight: 200, calling: "51", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: Some("Peru"), legal: "S.A.C.", bias: Bias::None, cities: &[
        c("Lima", "利馬", "利马"), c("Callao", "卡亞俄", "卡亚俄"), c("Trujillo", "特魯希略", "特鲁希略"),
        c("Arequipa", "阿雷基帕", "阿雷基帕"), c("Chiclayo", "奇克拉約", "奇克拉约"), c("Iquitos", "伊基托斯", "伊基托斯")] },
    Country { code: "SG", en: "Singapore", hant: "新加坡", hans: "新加坡", weight: 180, calling: "65", langs: &["en"], western: E, styles: STRAITS, tag: Some("Singapore"), legal: "Pte Ltd", bias: Bias::None, cities: &[
        c("Singapore", "新加坡", "新加坡")] },
    Country { code: "GB", en: "the United Kingdom", hant: "英國", hans: "英国", weight: 170, calling: "44", langs: &["en"], western: E, styles: OLD_ANGLO, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("London", "倫敦", "伦敦"), c("Manchester", "曼徹斯特", "曼彻斯特"), c("Liverpool", "利物浦", "利物浦"),
        c("Birmingham", "伯明翰", "伯明翰"), c("Edinburgh", "愛丁堡", "爱丁堡"), c("Glasgow", "格拉斯哥", "格拉斯哥")] },
    Country { code: "NZ", en: "New Zealand", hant: "紐西蘭", hans: "新西兰", weight: 140, calling: "64", langs: &["en"], western: E, styles: NZ_STYLES, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Auckland", "奧克蘭", "奥克兰"), c("Wellington", "惠靈頓", "惠灵顿"), c("Christchurch", "基督城", "基督城"),
        c("Dunedin", "但尼丁", "达尼丁")] },
    Country { code: "VE", en: "Venezuela", hant: "委內瑞拉", hans: "委内瑞拉", weight: 120, calling: "58", langs: &["es"], western: Western::Spanish, styles: LATAM_NEWER, tag: None, legal: "C.A.", bias: Bias::Enping, cities: &[
        c("Caracas", "加拉加斯", "加拉加斯"), c("Valencia", "巴倫西亞", "巴伦西亚"), c("Maracaibo", "馬拉開波", "马拉开波"),
        c("Barquisimeto", "巴基西梅托", "巴基西梅托"), c("Maracay", "馬拉凱", "马拉凯"), c("Puerto La Cruz", "拉克魯斯港", "拉克鲁斯港")] },
    Country { code: "BR", en: "Brazil", hant: "巴西", hans: "巴西", weight: 90, calling: "55", langs: &["pt"], western: Western::Portuguese, styles: BR_STYLES, tag: None, legal: "Ltda.", bias: Bias::None, cities: &[
        c("São Paulo", "聖保羅", "圣保罗"), c("Rio de Janeiro", "里約熱內盧", "里约热内卢"), c("Curitiba", "庫里蒂巴", "库里蒂巴"),
        c("Porto Alegre", "阿雷格里港", "阿雷格里港"), c("Recife", "累西腓", "累西腓")] },
    Country { code: "MX", en: "Mexico", hant: "墨西哥", hans: "墨西哥", weight: 80, calling: "52", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: Some("Mexico"), legal: "S.A. de C.V.", bias: Bias::None, cities: &[
        c("Mexico City", "墨西哥城", "墨西哥城"), c("Mexicali", "墨西卡利", "墨西卡利"), c("Tijuana", "蒂華納", "蒂华纳"),
        c("Guadalajara", "瓜達拉哈拉", "瓜达拉哈拉"), c("Monterrey", "蒙特雷", "蒙特雷"), c("Tampico", "坦皮科", "坦皮科")] },
    Country { code: "ID", en: "Indonesia", hant: "印尼", hans: "印度尼西亚", weight: 75, calling: "62", langs: &["id"], western: Western::Indonesian, styles: SE_ASIA, tag: Some("Indonesia"), legal: "PT", bias: Bias::None, cities: &[
        c("Jakarta", "雅加達", "雅加达"), c("Surabaya", "泗水", "泗水"), c("Medan", "棉蘭", "棉兰"),
        c("Semarang", "三寶壟", "三宝垄"), c("Makassar", "望加錫", "望加锡"), c("Pontianak", "坤甸", "坤甸")] },
    Country { code: "FR", en: "France", hant: "法國", hans: "法国", weight: 75, calling: "33", langs: &["fr"], western: Western::French, styles: FR_STYLES, tag: None, legal: "SARL", bias: Bias::None, cities: &[
        c("Paris", "巴黎", "巴黎"), c("Marseille", "馬賽", "马赛"), c("Lyon", "里昂", "里昂"),
        c("Toulouse", "圖盧茲", "图卢兹"), c("Lille", "里爾", "里尔"), c("Bordeaux", "波爾多", "波尔多")] },
    Country { code: "CN", en: "China", hant: "中國", hans: "中国", weight: 70, calling: "86", langs: &["zh"], western: E, styles: CN_STYLES, tag: Some("PRC passport"), legal: "有限公司", bias: Bias::None, cities: &[
        c("Jiangmen", "江門", "江门"), c("Taishan", "台山", "台山"), c("Kaiping", "開平", "开平"),
        c("Guangzhou", "廣州", "广州"), c("Shenzhen", "深圳", "深圳")] },
    Country { code: "VN", en: "Vietnam", hant: "越南", hans: "越南", weight: 55, calling: "84", langs: &["vi"], western: E, styles: VN_STYLES, tag: None, legal: "Co., Ltd", bias: Bias::None, cities: &[
        c("Ho Chi Minh City", "胡志明市", "胡志明市"), c("Hanoi", "河內", "河内"), c("Hai Phong", "海防", "海防"),
        c("Can Tho", "芹苴", "芹苴"), c("Da Nang", "峴港", "岘港")] },
    Country { code: "TH", en: "Thailand", hant: "泰國", hans: "泰国", weight: 55, calling: "66", langs: &["th"], western: Western::Thai, styles: SE_ASIA, tag: None, legal: "Co., Ltd", bias: Bias::None, cities: &[
        c("Bangkok", "曼谷", "曼谷"), c("Chiang Mai", "清邁", "清迈"), c("Hat Yai", "合艾", "合艾"), c("Phuket", "普吉", "普吉")] },
    Country { code: "CU", en: "Cuba", hant: "古巴", hans: "古巴", weight: 50, calling: "53", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: None, legal: "S.A.", bias: Bias::None, cities: &[
        c("Havana", "夏灣拿", "哈瓦那"), c("Santiago de Cuba", "聖地亞哥", "圣地亚哥"), c("Cienfuegos", "西恩富戈斯", "西恩富戈斯"),
        c("Camagüey", "卡馬圭", "卡马圭")] },
    Country { code: "DE", en: "Germany", hant: "德國", hans: "德国", weight: 50, calling: "49", langs: &["de"], western: Western::German, styles: EUROPE, tag: None, legal: "GmbH", bias: Bias::None, cities: &[
        c("Berlin", "柏林", "柏林"), c("Hamburg", "漢堡", "汉堡"), c("Frankfurt", "法蘭克福", "法兰克福"),
        c("Munich", "慕尼黑", "慕尼黑"), c("Düsseldorf", "杜塞爾多夫", "杜塞尔多夫"), c("Cologne", "科隆", "科隆")] },
    Country { code: "PA", en: "Panama", hant: "巴拿馬", hans: "巴拿马", weight: 50, calling: "507", langs: &["es"], western: Western::Spanish, styles: LATAM_NEWER, tag: None, legal: "S.A.", bias: Bias::Enping, cities: &[
        c("Panama City", "巴拿馬城", "巴拿马城"), c("Colón", "科隆", "科隆")] },
    Country { code: "NL", en: "the Netherlands", hant: "荷蘭", hans: "荷兰", weight: 50, calling: "31", langs: &["nl"], western: Western::Dutch, styles: NL_STYLES, tag: None, legal: "B.V.", bias: Bias::None, cities: &[
        c("Amsterdam", "阿姆斯特丹", "阿姆斯特丹"), c("Rotterdam", "鹿特丹", "鹿特丹"), c("The Hague", "海牙", "海牙"),
        c("Utrecht", "烏得勒支", "乌得勒支")] },
    Country { code: "PH", en: "the Philippines", hant: "菲律賓", hans: "菲律宾", weight: 40, calling: "63", langs: &["fil", "en"], western: E, styles: SE_ASIA, tag: Some("Philippines"), legal: "Inc.", bias: Bias::None, cities: &[
        c("Manila", "馬尼拉", "马尼拉"), c("Cebu", "宿霧", "宿务"), c("Davao", "納卯", "纳卯"), c("Iloilo", "怡朗", "怡朗")] },
    Country { code: "TW", en: "Taiwan", hant: "台灣", hans: "台湾", weight: 35, calling: "886", langs: &["zh"], western: E, styles: TW_STYLES, tag: Some("Taiwan"), legal: "Co., Ltd", bias: Bias::None, cities: &[
        c("Taipei", "台北", "台北"), c("Taichung", "台中", "台中"), c("Kaohsiung", "高雄", "高雄")] },
    Country { code: "CR", en: "Costa Rica", hant: "哥斯達黎加", hans: "哥斯达黎加", weight: 35, calling: "506", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: None, legal: "S.A.", bias: Bias::None, cities: &[
        c("San José", "聖荷西", "圣何塞"), c("Puntarenas", "蓬塔雷納斯", "蓬塔雷纳斯"), c("Limón", "利蒙", "利蒙")] },
    Country { code: "ZA", en: "South Africa", hant: "南非", hans: "南非", weight: 35, calling: "27", langs: &["en", "af"], western: E, styles: OLD_ANGLO, tag: None, legal: "(Pty) Ltd", bias: Bias::None, cities: &[
        c("Johannesburg", "約翰內斯堡", "约翰内斯堡"), c("Cape Town", "開普敦", "开普敦"), c("Durban", "德班", "德班"),
        c("Pretoria", "比勒陀利亞", "比勒陀利亚")] },
    Country { code: "EC", en: "Ecuador", hant: "厄瓜多爾", hans: "厄瓜多尔", weight: 30, calling: "593", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: None, legal: "S.A.", bias: Bias::None, cities: &[
        c("Guayaquil", "瓜亞基爾", "瓜亚基尔"), c("Quito", "基多", "基多")] },
    Country { code: "JP", en: "Japan", hant: "日本", hans: "日本", weight: 30, calling: "81", langs: &["ja"], western: E, styles: EAST_ASIA, tag: None, legal: "K.K.", bias: Bias::None, cities: &[
        c("Tokyo", "東京", "东京"), c("Yokohama", "橫濱", "横滨"), c("Osaka", "大阪", "大阪"), c("Kobe", "神戶", "神户")] },
    Country { code: "MU", en: "Mauritius", hant: "毛里裘斯", hans: "毛里求斯", weight: 25, calling: "230", langs: &["fr", "en"], western: Western::French, styles: FRANCOPHONE_ISLANDS, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Port Louis", "路易港", "路易港"), c("Curepipe", "居爾皮普", "居尔皮普")] },
    Country { code: "ES", en: "Spain", hant: "西班牙", hans: "西班牙", weight: 25, calling: "34", langs: &["es"], western: Western::Spanish, styles: EUROPE, tag: None, legal: "S.L.", bias: Bias::None, cities: &[
        c("Madrid", "馬德里", "马德里"), c("Barcelona", "巴塞羅那", "巴塞罗那"), c("Valencia", "瓦倫西亞", "瓦伦西亚")] },
    Country { code: "IT", en: "Italy", hant: "意大利", hans: "意大利", weight: 22, calling: "39", langs: &["it"], western: Western::Italian, styles: EUROPE, tag: None, legal: "S.r.l.", bias: Bias::None, cities: &[
        c("Milan", "米蘭", "米兰"), c("Rome", "羅馬", "罗马"), c("Prato", "普拉托", "普拉托")] },
    Country { code: "MG", en: "Madagascar", hant: "馬達加斯加", hans: "马达加斯加", weight: 18, calling: "261", langs: &["mg", "fr"], western: Western::French, styles: FRANCOPHONE_ISLANDS, tag: None, legal: "SARL", bias: Bias::None, cities: &[
        c("Antananarivo", "塔那那利佛", "塔那那利佛"), c("Toamasina", "圖阿馬西納", "图阿马西纳")] },
    Country { code: "FJ", en: "Fiji", hant: "斐濟", hans: "斐济", weight: 18, calling: "679", langs: &["en"], western: E, styles: OLD_ANGLO, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Suva", "蘇瓦", "苏瓦"), c("Lautoka", "勞托卡", "劳托卡")] },
    Country { code: "SR", en: "Suriname", hant: "蘇里南", hans: "苏里南", weight: 18, calling: "597", langs: &["nl"], western: Western::Dutch, styles: OLD_ANGLO, tag: None, legal: "N.V.", bias: Bias::None, cities: &[
        c("Paramaribo", "帕拉馬里博", "帕拉马里博")] },
    Country { code: "GT", en: "Guatemala", hant: "危地馬拉", hans: "危地马拉", weight: 18, calling: "502", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: Some("Guatemala"), legal: "S.A.", bias: Bias::None, cities: &[
        c("Guatemala City", "危地馬拉城", "危地马拉城")] },
    Country { code: "CO", en: "Colombia", hant: "哥倫比亞", hans: "哥伦比亚", weight: 18, calling: "57", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: None, legal: "S.A.S.", bias: Bias::None, cities: &[
        c("Bogotá", "波哥大", "波哥大"), c("Medellín", "麥德林", "麦德林"), c("Cali", "卡利", "卡利")] },
    Country { code: "CL", en: "Chile", hant: "智利", hans: "智利", weight: 16, calling: "56", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: None, legal: "S.A.", bias: Bias::None, cities: &[
        c("Santiago", "聖地牙哥", "圣地亚哥"), c("Iquique", "伊基克", "伊基克")] },
    Country { code: "KH", en: "Cambodia", hant: "柬埔寨", hans: "柬埔寨", weight: 16, calling: "855", langs: &["km"], western: E, styles: SE_ASIA, tag: Some("Cambodia"), legal: "Co., Ltd", bias: Bias::None, cities: &[
        c("Phnom Penh", "金邊", "金边"), c("Siem Reap", "暹粒", "暹粒")] },
    Country { code: "AR", en: "Argentina", hant: "阿根廷", hans: "阿根廷", weight: 16, calling: "54", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: None, legal: "S.R.L.", bias: Bias::None, cities: &[
        c("Buenos Aires", "布宜諾斯艾利斯", "布宜诺斯艾利斯"), c("Córdoba", "科爾多瓦", "科尔多瓦")] },
    Country { code: "PF", en: "French Polynesia", hant: "大溪地", hans: "法属波利尼西亚", weight: 15, calling: "689", langs: &["fr"], western: Western::French, styles: FRANCOPHONE_ISLANDS, tag: None, legal: "SARL", bias: Bias::None, cities: &[
        c("Papeete", "帕皮提", "帕皮提")] },
    Country { code: "KR", en: "South Korea", hant: "韓國", hans: "韩国", weight: 15, calling: "82", langs: &["ko"], western: E, styles: EAST_ASIA, tag: None, legal: "Co., Ltd", bias: Bias::None, cities: &[
        c("Seoul", "首爾", "首尔"), c("Busan", "釜山", "釜山"), c("Incheon", "仁川", "仁川")] },
    Country { code: "PT", en: "Portugal", hant: "葡萄牙", hans: "葡萄牙", weight: 15, calling: "351", langs: &["pt"], western: Western::Portuguese, styles: NEW_ANGLO, tag: None, legal: "Lda.", bias: Bias::None, cities: &[
        c("Lisbon", "里斯本", "里斯本"), c("Porto", "波爾圖", "波尔图")] },
    Country { code: "TT", en: "Trinidad and Tobago", hant: "千里達及多巴哥", hans: "特立尼达和多巴哥", weight: 14, calling: "1", langs: &["en"], western: E, styles: OLD_ANGLO, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Port of Spain", "西班牙港", "西班牙港"), c("San Fernando", "聖費爾南多", "圣费尔南多")] },
    Country { code: "DO", en: "the Dominican Republic", hant: "多明尼加", hans: "多米尼加", weight: 14, calling: "1", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: None, legal: "S.R.L.", bias: Bias::None, cities: &[
        c("Santo Domingo", "聖多明各", "圣多明各")] },
    Country { code: "AE", en: "the United Arab Emirates", hant: "阿聯酋", hans: "阿联酋", weight: 14, calling: "971", langs: &["en", "ar"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "LLC", bias: Bias::None, cities: &[
        c("Dubai", "迪拜", "迪拜"), c("Abu Dhabi", "阿布扎比", "阿布扎比")] },
    Country { code: "SE", en: "Sweden", hant: "瑞典", hans: "瑞典", weight: 12, calling: "46", langs: &["sv"], western: E, styles: EUROPE, tag: None, legal: "AB", bias: Bias::None, cities: &[
        c("Stockholm", "斯德哥爾摩", "斯德哥尔摩"), c("Gothenburg", "哥德堡", "哥德堡")] },
    Country { code: "BE", en: "Belgium", hant: "比利時", hans: "比利时", weight: 12, calling: "32", langs: &["nl", "fr"], western: Western::French, styles: EUROPE, tag: None, legal: "BV", bias: Bias::None, cities: &[
        c("Brussels", "布魯塞爾", "布鲁塞尔"), c("Antwerp", "安特衛普", "安特卫普")] },
    Country { code: "WS", en: "Samoa", hant: "薩摩亞", hans: "萨摩亚", weight: 12, calling: "685", langs: &["sm", "en"], western: E, styles: OLD_ANGLO, tag: None, legal: "Ltd", bias: Bias::Taishan, cities: &[
        c("Apia", "阿皮亞", "阿皮亚")] },
    Country { code: "IE", en: "Ireland", hant: "愛爾蘭", hans: "爱尔兰", weight: 12, calling: "353", langs: &["en"], western: E, styles: NEW_ANGLO, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Dublin", "都柏林", "都柏林"), c("Cork", "科克", "科克")] },
    Country { code: "BN", en: "Brunei", hant: "汶萊", hans: "文莱", weight: 12, calling: "673", langs: &["ms", "en"], western: E, styles: STRAITS, tag: None, legal: "Sdn Bhd", bias: Bias::None, cities: &[
        c("Bandar Seri Begawan", "斯里巴加灣", "斯里巴加湾")] },
    Country { code: "MM", en: "Myanmar", hant: "緬甸", hans: "缅甸", weight: 12, calling: "95", langs: &["my"], western: E, styles: MM_STYLES, tag: None, legal: "Co., Ltd", bias: Bias::None, cities: &[
        c("Yangon", "仰光", "仰光"), c("Mandalay", "曼德勒", "曼德勒")] },
    Country { code: "CH", en: "Switzerland", hant: "瑞士", hans: "瑞士", weight: 12, calling: "41", langs: &["de", "fr"], western: Western::German, styles: EUROPE, tag: None, legal: "AG", bias: Bias::None, cities: &[
        c("Zurich", "蘇黎世", "苏黎世"), c("Geneva", "日內瓦", "日内瓦")] },
    Country { code: "FI", en: "Finland", hant: "芬蘭", hans: "芬兰", weight: 10, calling: "358", langs: &["fi"], western: E, styles: EUROPE, tag: None, legal: "Oy", bias: Bias::None, cities: &[
        c("Helsinki", "赫爾辛基", "赫尔辛基")] },
    Country { code: "SV", en: "El Salvador", hant: "薩爾瓦多", hans: "萨尔瓦多", weight: 10, calling: "503", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: None, legal: "S.A. de C.V.", bias: Bias::None, cities: &[
        c("San Salvador", "聖薩爾瓦多", "圣萨尔瓦多")] },
    Country { code: "NI", en: "Nicaragua", hant: "尼加拉瓜", hans: "尼加拉瓜", weight: 10, calling: "505", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: None, legal: "S.A.", bias: Bias::None, cities: &[
        c("Managua", "馬那瓜", "马那瓜")] },
    Country { code: "HN", en: "Honduras", hant: "洪都拉斯", hans: "洪都拉斯", weight: 10, calling: "504", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: None, legal: "S.A.", bias: Bias::None, cities: &[
        c("Tegucigalpa", "特古西加爾巴", "特古西加尔巴"), c("San Pedro Sula", "聖佩德羅蘇拉", "圣佩德罗苏拉")] },
    Country { code: "RE", en: "Réunion", hant: "留尼旺", hans: "留尼汪", weight: 10, calling: "262", langs: &["fr"], western: Western::French, styles: FRANCOPHONE_ISLANDS, tag: None, legal: "SARL", bias: Bias::None, cities: &[
        c("Saint-Denis", "聖但尼", "圣但尼")] },
    Country { code: "JM", en: "Jamaica", hant: "牙買加", hans: "牙买加", weight: 10, calling: "1", langs: &["en"], western: E, styles: OLD_ANGLO, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Kingston", "京士頓", "金斯敦")] },
    Country { code: "DK", en: "Denmark", hant: "丹麥", hans: "丹麦", weight: 10, calling: "45", langs: &["da"], western: E, styles: EUROPE, tag: None, legal: "ApS", bias: Bias::None, cities: &[
        c("Copenhagen", "哥本哈根", "哥本哈根")] },
    Country { code: "BO", en: "Bolivia", hant: "玻利維亞", hans: "玻利维亚", weight: 10, calling: "591", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: None, legal: "S.R.L.", bias: Bias::None, cities: &[
        c("La Paz", "拉巴斯", "拉巴斯"), c("Santa Cruz de la Sierra", "聖克魯斯", "圣克鲁斯")] },
    Country { code: "PY", en: "Paraguay", hant: "巴拉圭", hans: "巴拉圭", weight: 10, calling: "595", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: None, legal: "S.A.", bias: Bias::None, cities: &[
        c("Asunción", "亞松森", "亚松森"), c("Ciudad del Este", "東方市", "东方市")] },
    Country { code: "UY", en: "Uruguay", hant: "烏拉圭", hans: "乌拉圭", weight: 10, calling: "598", langs: &["es"], western: Western::Spanish, styles: LATAM, tag: None, legal: "S.A.", bias: Bias::None, cities: &[
        c("Montevideo", "蒙得維的亞", "蒙得维的亚")] },
    Country { code: "RU", en: "Russia", hant: "俄羅斯", hans: "俄罗斯", weight: 10, calling: "7", langs: &["ru"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "LLC", bias: Bias::None, cities: &[
        c("Moscow", "莫斯科", "莫斯科"), c("Saint Petersburg", "聖彼得堡", "圣彼得堡"), c("Vladivostok", "海參崴", "符拉迪沃斯托克")] },
    Country { code: "NO", en: "Norway", hant: "挪威", hans: "挪威", weight: 10, calling: "47", langs: &["nb"], western: E, styles: EUROPE, tag: None, legal: "AS", bias: Bias::None, cities: &[
        c("Oslo", "奧斯陸", "奥斯陆")] },
    Country { code: "IN", en: "India", hant: "印度", hans: "印度", weight: 10, calling: "91", langs: &["en", "hi"], western: E, styles: OLD_ANGLO, tag: None, legal: "Pvt Ltd", bias: Bias::None, cities: &[
        c("Kolkata", "加爾各答", "加尔各答"), c("Mumbai", "孟買", "孟买")] },
    Country { code: "IL", en: "Israel", hant: "以色列", hans: "以色列", weight: 9, calling: "972", langs: &["he", "en"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Tel Aviv", "特拉維夫", "特拉维夫")] },
    Country { code: "PG", en: "Papua New Guinea", hant: "巴布亞新畿內亞", hans: "巴布亚新几内亚", weight: 9, calling: "675", langs: &["en", "tpi"], western: E, styles: OLD_ANGLO, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Port Moresby", "莫爾斯比港", "莫尔斯比港")] },
    Country { code: "AT", en: "Austria", hant: "奧地利", hans: "奥地利", weight: 9, calling: "43", langs: &["de"], western: Western::German, styles: EUROPE, tag: None, legal: "GmbH", bias: Bias::None, cities: &[
        c("Vienna", "維也納", "维也纳")] },
    Country { code: "TR", en: "Türkiye", hant: "土耳其", hans: "土耳其", weight: 9, calling: "90", langs: &["tr"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "Ltd. Şti.", bias: Bias::None, cities: &[
        c("Istanbul", "伊斯坦布爾", "伊斯坦布尔")] },
    Country { code: "GR", en: "Greece", hant: "希臘", hans: "希腊", weight: 9, calling: "30", langs: &["el"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "S.A.", bias: Bias::None, cities: &[
        c("Athens", "雅典", "雅典")] },
    Country { code: "HU", en: "Hungary", hant: "匈牙利", hans: "匈牙利", weight: 9, calling: "36", langs: &["hu"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "Kft.", bias: Bias::None, cities: &[
        c("Budapest", "布達佩斯", "布达佩斯")] },
    Country { code: "TZ", en: "Tanzania", hant: "坦桑尼亞", hans: "坦桑尼亚", weight: 9, calling: "255", langs: &["sw", "en"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Dar es Salaam", "達累斯薩拉姆", "达累斯萨拉姆")] },
    Country { code: "SA", en: "Saudi Arabia", hant: "沙地阿拉伯", hans: "沙特阿拉伯", weight: 9, calling: "966", langs: &["ar"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "LLC", bias: Bias::None, cities: &[
        c("Riyadh", "利雅得", "利雅得"), c("Jeddah", "吉達", "吉达")] },
    Country { code: "TL", en: "Timor-Leste", hant: "東帝汶", hans: "东帝汶", weight: 9, calling: "670", langs: &["tet", "pt"], western: Western::Portuguese, styles: OLD_ANGLO, tag: None, legal: "Lda.", bias: Bias::None, cities: &[
        c("Dili", "帝力", "帝力")] },
    Country { code: "GY", en: "Guyana", hant: "圭亞那", hans: "圭亚那", weight: 9, calling: "592", langs: &["en"], western: E, styles: OLD_ANGLO, tag: None, legal: "Inc.", bias: Bias::None, cities: &[
        c("Georgetown", "喬治敦", "乔治敦")] },
    Country { code: "PL", en: "Poland", hant: "波蘭", hans: "波兰", weight: 9, calling: "48", langs: &["pl"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "sp. z o.o.", bias: Bias::None, cities: &[
        c("Warsaw", "華沙", "华沙")] },
    Country { code: "KE", en: "Kenya", hant: "肯尼亞", hans: "肯尼亚", weight: 9, calling: "254", langs: &["en", "sw"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Nairobi", "內羅畢", "内罗毕")] },
    Country { code: "NG", en: "Nigeria", hant: "尼日利亞", hans: "尼日利亚", weight: 9, calling: "234", langs: &["en"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Lagos", "拉各斯", "拉各斯")] },
    Country { code: "KZ", en: "Kazakhstan", hant: "哈薩克斯坦", hans: "哈萨克斯坦", weight: 9, calling: "7", langs: &["ru", "kk"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "LLP", bias: Bias::None, cities: &[
        c("Almaty", "阿拉木圖", "阿拉木图")] },
    Country { code: "ZM", en: "Zambia", hant: "贊比亞", hans: "赞比亚", weight: 9, calling: "260", langs: &["en"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Lusaka", "盧薩卡", "卢萨卡")] },
    Country { code: "ZW", en: "Zimbabwe", hant: "津巴布韋", hans: "津巴布韦", weight: 9, calling: "263", langs: &["en"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "(Pvt) Ltd", bias: Bias::None, cities: &[
        c("Harare", "哈拉雷", "哈拉雷")] },
    Country { code: "LK", en: "Sri Lanka", hant: "斯里蘭卡", hans: "斯里兰卡", weight: 9, calling: "94", langs: &["si", "en"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "(Pvt) Ltd", bias: Bias::None, cities: &[
        c("Colombo", "科倫坡", "科伦坡")] },
    Country { code: "QA", en: "Qatar", hant: "卡塔爾", hans: "卡塔尔", weight: 9, calling: "974", langs: &["ar", "en"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "W.L.L.", bias: Bias::None, cities: &[
        c("Doha", "多哈", "多哈")] },
    Country { code: "CZ", en: "Czechia", hant: "捷克", hans: "捷克", weight: 9, calling: "420", langs: &["cs"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "s.r.o.", bias: Bias::None, cities: &[
        c("Prague", "布拉格", "布拉格")] },
    Country { code: "MA", en: "Morocco", hant: "摩洛哥", hans: "摩洛哥", weight: 9, calling: "212", langs: &["ar", "fr"], western: Western::French, styles: NEW_MIGRANTS, tag: None, legal: "SARL", bias: Bias::None, cities: &[
        c("Casablanca", "卡薩布蘭卡", "卡萨布兰卡")] },
    Country { code: "EG", en: "Egypt", hant: "埃及", hans: "埃及", weight: 9, calling: "20", langs: &["ar"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "S.A.E.", bias: Bias::None, cities: &[
        c("Cairo", "開羅", "开罗")] },
    Country { code: "GH", en: "Ghana", hant: "加納", hans: "加纳", weight: 9, calling: "233", langs: &["en"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Accra", "阿克拉", "阿克拉")] },
    Country { code: "UZ", en: "Uzbekistan", hant: "烏茲別克斯坦", hans: "乌兹别克斯坦", weight: 9, calling: "998", langs: &["uz", "ru"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "LLC", bias: Bias::None, cities: &[
        c("Tashkent", "塔什干", "塔什干")] },
    Country { code: "NP", en: "Nepal", hant: "尼泊爾", hans: "尼泊尔", weight: 9, calling: "977", langs: &["ne", "en"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "Pvt. Ltd.", bias: Bias::None, cities: &[
        c("Kathmandu", "加德滿都", "加德满都")] },
    Country { code: "TO", en: "Tonga", hant: "湯加", hans: "汤加", weight: 9, calling: "676", langs: &["to", "en"], western: E, styles: OLD_ANGLO, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Nuku'alofa", "努庫阿洛法", "努库阿洛法")] },
    Country { code: "NC", en: "New Caledonia", hant: "新喀里多尼亞", hans: "新喀里多尼亚", weight: 9, calling: "687", langs: &["fr"], western: Western::French, styles: FRANCOPHONE_ISLANDS, tag: None, legal: "SARL", bias: Bias::None, cities: &[
        c("Nouméa", "努美阿", "努美阿")] },
    Country { code: "LA", en: "Laos", hant: "老撾", hans: "老挝", weight: 9, calling: "856", langs: &["lo"], western: E, styles: SE_ASIA, tag: None, legal: "Co., Ltd", bias: Bias::None, cities: &[
        c("Vientiane", "萬象", "万象")] },
    Country { code: "AO", en: "Angola", hant: "安哥拉", hans: "安哥拉", weight: 9, calling: "244", langs: &["pt"], western: Western::Portuguese, styles: NEW_MIGRANTS, tag: None, legal: "Lda.", bias: Bias::None, cities: &[
        c("Luanda", "羅安達", "罗安达")] },
    Country { code: "MZ", en: "Mozambique", hant: "莫桑比克", hans: "莫桑比克", weight: 9, calling: "258", langs: &["pt"], western: Western::Portuguese, styles: NEW_MIGRANTS, tag: None, legal: "Lda.", bias: Bias::None, cities: &[
        c("Maputo", "馬普托", "马普托")] },
    Country { code: "BD", en: "Bangladesh", hant: "孟加拉", hans: "孟加拉国", weight: 9, calling: "880", langs: &["bn", "en"], western: E, styles: NEW_MIGRANTS, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Dhaka", "達卡", "达卡")] },
    Country { code: "SC", en: "Seychelles", hant: "塞舌爾", hans: "塞舌尔", weight: 9, calling: "248", langs: &["en", "fr"], western: Western::French, styles: FRANCOPHONE_ISLANDS, tag: None, legal: "Ltd", bias: Bias::None, cities: &[
        c("Victoria", "維多利亞", "维多利亚")] },
];

/// Universities where students and researchers are found, by country code and city.
pub struct University {
    pub country: &'static str,
    pub city: &'static str,
    pub en: &'static str,
    pub hans: &'static str,
}

const fn u(country: &'static str, city: &'static str, en: &'static str, hans: &'static str) -> University {
    University { country, city, en, hans }
}

pub const UNIVERSITIES: &[University] = &[
    u("US", "New York", "Columbia University", "哥伦比亚大学"),
    u("US", "New York", "New York University", "纽约大学"),
    u("US", "Los Angeles", "University of Southern California", "南加州大学"),
    u("US", "Los Angeles", "University of California, Los Angeles", "加州大学洛杉矶分校"),
    u("US", "Seattle", "University of Washington", "华盛顿大学"),
    u("US", "Chicago", "University of Chicago", "芝加哥大学"),
    u("US", "Boston", "Boston University", "波士顿大学"),
    u("US", "Philadelphia", "University of Pennsylvania", "宾夕法尼亚大学"),
    u("US", "Honolulu", "University of Hawaii at Manoa", "夏威夷大学马诺阿分校"),
    u(
        "US",
        "San Francisco",
        "University of California, San Francisco",
        "加州大学旧金山分校",
    ),
    u("US", "San Jose", "San Jose State University", "圣何塞州立大学"),
    u("CA", "Toronto", "University of Toronto", "多伦多大学"),
    u("CA", "Vancouver", "University of British Columbia", "不列颠哥伦比亚大学"),
    u("CA", "Montreal", "McGill University", "麦吉尔大学"),
    u("CA", "Calgary", "University of Calgary", "卡尔加里大学"),
    u("CA", "Edmonton", "University of Alberta", "阿尔伯塔大学"),
    u("CA", "Ottawa", "University of Ottawa", "渥太华大学"),
    u("AU", "Sydney", "University of Sydney", "悉尼大学"),
    u("AU", "Melbourne", "University of Melbourne", "墨尔本大学"),
    u("AU", "Brisbane", "University of Queensland", "昆士兰大学"),
    u("AU", "Perth", "University of Western Australia", "西澳大学"),
    u("AU", "Adelaide", "University of Adelaide", "阿德莱德大学"),
    u("AU", "Canberra", "Australian National University", "澳大利亚国立大学"),
    u("NZ", "Auckland", "University of Auckland", "奥克兰大学"),
    u("NZ", "Wellington", "Victoria University of Wellington", "惠灵顿维多利亚大学"),
    u("NZ", "Christchurch", "University of Canterbury", "坎特伯雷大学"),
    u("NZ", "Dunedin", "University of Otago", "奥塔哥大学"),
    u("GB", "London", "Imperial College London", "帝国理工学院"),
    u("GB", "London", "University College London", "伦敦大学学院"),
    u("GB", "Manchester", "University of Manchester", "曼彻斯特大学"),
    u("GB", "Edinburgh", "University of Edinburgh", "爱丁堡大学"),
    u("GB", "Liverpool", "University of Liverpool", "利物浦大学"),
    u("GB", "Birmingham", "University of Birmingham", "伯明翰大学"),
    u("GB", "Glasgow", "University of Glasgow", "格拉斯哥大学"),
    u("IE", "Dublin", "Trinity College Dublin", "都柏林圣三一大学"),
    u("IE", "Cork", "University College Cork", "科克大学"),
    u("SG", "Singapore", "National University of Singapore", "新加坡国立大学"),
    u("SG", "Singapore", "Nanyang Technological University", "南洋理工大学"),
    u("MY", "Kuala Lumpur", "Universiti Malaya", "马来亚大学"),
    u("HK", "Hong Kong", "University of Hong Kong", "香港大学"),
    u("HK", "Sha Tin", "Chinese University of Hong Kong", "香港中文大学"),
    u("MO", "Taipa", "Macau University of Science and Technology", "澳门科技大学"),
    u("JP", "Tokyo", "University of Tokyo", "东京大学"),
    u("JP", "Osaka", "Osaka University", "大阪大学"),
    u("KR", "Seoul", "Seoul National University", "首尔大学"),
    u("FR", "Paris", "Sorbonne Université", "索邦大学"),
    u("FR", "Lyon", "Université Claude Bernard Lyon 1", "里昂第一大学"),
    u("DE", "Munich", "Technical University of Munich", "慕尼黑工业大学"),
    u("DE", "Berlin", "Freie Universität Berlin", "柏林自由大学"),
    u("DE", "Hamburg", "University of Hamburg", "汉堡大学"),
    u("NL", "Amsterdam", "University of Amsterdam", "阿姆斯特丹大学"),
    u("NL", "Rotterdam", "Erasmus University Rotterdam", "鹿特丹伊拉斯姆斯大学"),
    u("IT", "Milan", "Politecnico di Milano", "米兰理工大学"),
    u("ES", "Madrid", "Universidad Complutense de Madrid", "马德里康普顿斯大学"),
    u("SE", "Stockholm", "KTH Royal Institute of Technology", "瑞典皇家理工学院"),
    u("CH", "Zurich", "ETH Zurich", "苏黎世联邦理工学院"),
    u("BE", "Brussels", "Université libre de Bruxelles", "布鲁塞尔自由大学"),
    u("DK", "Copenhagen", "University of Copenhagen", "哥本哈根大学"),
    u("FI", "Helsinki", "University of Helsinki", "赫尔辛基大学"),
    u("AT", "Vienna", "University of Vienna", "维也纳大学"),
    u("RU", "Moscow", "Lomonosov Moscow State University", "莫斯科国立大学"),
    u("TH", "Bangkok", "Chulalongkorn University", "朱拉隆功大学"),
    u("PE", "Lima", "Pontificia Universidad Católica del Perú", "秘鲁天主教大学"),
    u("BR", "São Paulo", "Universidade de São Paulo", "圣保罗大学"),
    u("PT", "Lisbon", "University of Lisbon", "里斯本大学"),
    u("CN", "Jiangmen", "Wuyi University", "五邑大学"),
];

/// Local given names: (male, female).
#[rustfmt::skip]
pub fn western_names(w: Western) -> (&'static [&'static str], &'static [&'static str]) {
    match w {
        Western::English => (
            &["David", "Michael", "Kevin", "Raymond", "Peter", "Henry", "Kenneth", "Richard", "Thomas", "William", "Andrew",
              "Jason", "Eric", "Philip", "Stanley", "Vincent", "Calvin", "Gordon", "Edmund", "Francis"],
            &["Mary", "Helen", "Jennifer", "Grace", "Linda", "Susan", "Anna", "Emily", "Karen", "Betty", "Alice", "Cynthia",
              "Vivian", "Irene", "Winnie", "Joyce", "Amy", "Michelle", "Rebecca", "Florence"],
        ),
        Western::Spanish => (
            &["José", "Juan", "Carlos", "Luis", "Jorge", "Manuel", "Erasmo", "Víctor", "Miguel", "Roberto", "Fernando",
              "Alberto", "Julio", "Ricardo", "Eduardo", "Andrés"],
            &["María", "Rosa", "Carmen", "Ana", "Luisa", "Patricia", "Isabel", "Gloria", "Teresa", "Elena", "Lucía", "Silvia",
              "Mónica", "Beatriz", "Sofía", "Verónica"],
        ),
        Western::Portuguese => (
            &["João", "José", "Carlos", "Paulo", "Pedro", "Luiz", "Marcos", "Rafael", "Ricardo", "Fernando"],
            &["Maria", "Ana", "Francisca", "Juliana", "Márcia", "Fernanda", "Patrícia", "Aline", "Camila", "Beatriz"],
        ),
        Western::French => (
            &["Pierre", "Jean", "Michel", "Philippe", "Alain", "Nicolas", "Laurent", "Thierry", "Olivier", "Patrick"],
            &["Marie", "Sophie", "Nathalie", "Isabelle", "Catherine", "Christine", "Sylvie", "Valérie", "Claire", "Hélène"],
        ),
        Western::Dutch => (
            &["Jan", "Pieter", "Henk", "Kees", "Willem", "Johan", "Ruud", "Bas"],
            &["Anna", "Maria", "Sanne", "Linda", "Ingrid", "Marieke", "Annelies", "Femke"],
        ),
        Western::German => (
            &["Thomas", "Michael", "Andreas", "Stefan", "Markus", "Jürgen", "Klaus", "Tobias"],
            &["Sabine", "Claudia", "Petra", "Andrea", "Julia", "Katrin", "Susanne", "Monika"],
        ),
        Western::Italian => (
            &["Marco", "Luca", "Giuseppe", "Paolo", "Andrea", "Francesco"],
            &["Giulia", "Francesca", "Chiara", "Laura", "Elena", "Silvia"],
        ),
        Western::Indonesian => (
            &["Budi", "Hendra", "Agus", "Andi", "Rudy", "Eko", "Joko", "Hadi"],
            &["Dewi", "Sri", "Lina", "Maya", "Indah", "Ratna", "Wati", "Fitri"],
        ),
        Western::Thai => (
            &["Somchai", "Somsak", "Prasert", "Wichai", "Anan", "Chaiwat"],
            &["Somsri", "Malee", "Suda", "Pranee", "Kanya", "Nittaya"],
        ),
    }
}

/// Second surnames in Spanish-speaking countries.
#[rustfmt::skip]
pub const SPANISH_SURNAMES: &[&str] = &[
    "Pérez", "González", "Rodríguez", "Sánchez", "Martínez", "Ramírez", "Gómez", "Díaz", "Fernández", "López", "Torres",
    "Flores", "Rojas", "Vargas", "Castillo", "Mendoza", "Quispe", "Chávez", "Morales", "Herrera", "Ruiz", "Jiménez",
    "Aguilar", "Salazar", "Vega", "Ríos", "Paredes", "Huamán",
];

/// Second surnames in Portuguese-speaking countries.
#[rustfmt::skip]
pub const PORTUGUESE_SURNAMES: &[&str] =
    &["Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Rodrigues", "Almeida", "Ferreira", "Carvalho", "Gomes"];
